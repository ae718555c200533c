package io.mlops.data;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Summary statistics of one dataset column, as {@link DataVersioning#compare} reports them.
 *
 * <p>Numeric columns: {@code count} of non-missing values, {@code missing} (NaN), {@code mean},
 * {@code std} (sample standard deviation, n - 1, as pandas' {@code describe}), {@code min}, the
 * quartiles {@code q25}, {@code median}, {@code q75} (linear interpolation between order
 * statistics, as NumPy's and pandas' default) and {@code max}; a statistic that does not exist
 * (the mean of no values, the std of one) is {@code null}. Categorical columns: {@code count},
 * {@code missing} (null), the number of distinct {@code categories} and the proportions of the five
 * most frequent ones among non-missing values ({@code topProportions}, most frequent first, ties by
 * name); the numeric fields are {@code null}.
 *
 * @param type the column's type
 * @param count non-missing values
 * @param missing missing values
 * @param mean the mean, or null
 * @param std the sample standard deviation, or null
 * @param min the minimum, or null
 * @param q25 the first quartile, or null
 * @param median the median, or null
 * @param q75 the third quartile, or null
 * @param max the maximum, or null
 * @param categories distinct categories (categorical only), or null
 * @param topProportions the most frequent categories' shares (categorical only); unmodifiable
 * @since 0.1.0
 */
public record ColumnSummary(ColumnType type, long count, long missing, Double mean, Double std, Double min, Double q25,
                            Double median, Double q75, Double max, Integer categories, Map<String, Double> topProportions) {

    /** How many categories {@link #topProportions} lists at most. */
    public static final int TOP = 5;

    /**
     * Copies the components.
     *
     * @param type the column's type
     * @param count non-missing values
     * @param missing missing values
     * @param mean the mean, or null
     * @param std the sample standard deviation, or null
     * @param min the minimum, or null
     * @param q25 the first quartile, or null
     * @param median the median, or null
     * @param q75 the third quartile, or null
     * @param max the maximum, or null
     * @param categories distinct categories, or null
     * @param topProportions the most frequent categories' shares
     */
    public ColumnSummary {
        Objects.requireNonNull(type, "type");
        topProportions = Collections.unmodifiableMap(new LinkedHashMap<>(topProportions));
    }

    /**
     * Computes the summary of a column.
     *
     * @param data the dataset
     * @param column one of its columns
     * @return the summary
     * @throws IllegalArgumentException when the dataset has no such column
     */
    public static ColumnSummary of(Dataset data, String column) {
        return data.type(column) == ColumnType.NUMERIC ? numeric(data.numeric(column)) : categorical(data.categorical(column));
    }

    static ColumnSummary numeric(double[] values) {
        double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        int n = present.length;
        long missing = values.length - n;
        if (n == 0) {
            return new ColumnSummary(ColumnType.NUMERIC, 0, missing, null, null, null, null, null, null, null, null, Map.of());
        }
        Arrays.sort(present);
        double sum = 0;
        for (double v : present) {
            sum += v;
        }
        double mean = sum / n;
        Double std = null;
        if (n > 1) {
            double squares = 0;
            for (double v : present) {
                squares += (v - mean) * (v - mean);
            }
            std = Math.sqrt(squares / (n - 1));
        }
        return new ColumnSummary(ColumnType.NUMERIC, n, missing, mean, std, present[0], io.mlops.core.Quantiles.linear(present, 0.25),
                io.mlops.core.Quantiles.linear(present, 0.5), io.mlops.core.Quantiles.linear(present, 0.75), present[n - 1], null, Map.of());
    }


    static ColumnSummary categorical(String[] values) {
        Map<String, Long> counts = new HashMap<>();
        long missing = 0;
        for (String v : values) {
            if (v == null) {
                missing++;
            } else {
                counts.merge(v, 1L, Long::sum);
            }
        }
        long n = values.length - missing;
        Map<String, Double> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP)
                .forEach(e -> top.put(e.getKey(), e.getValue() / (double) n));
        return new ColumnSummary(ColumnType.CATEGORICAL, n, missing, null, null, null, null, null, null, null,
                counts.size(), top);
    }

    /**
     * @return the categories this summary counted among its top ones (for messages)
     */
    List<String> topCategories() {
        return List.copyOf(topProportions.keySet());
    }
}
