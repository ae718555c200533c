package io.mlops.drift;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.drift.internal.Profile;

import java.util.List;

/**
 * What a {@link DriftDetector} keeps of its reference data, computed once: per numeric column the
 * sorted finite values, mean, standard deviation and PSI bins; per categorical column the category
 * counts; per column the missing count.
 *
 * <p><b>What a saved profile holds.</b> {@link #toJson()} writes no row and no numeric column's
 * values: per numeric column its count, mean, standard deviation, PSI bins and
 * {@code min(n, ceil(16 sqrt(n)))} quantile points (of a million values, 16,000 points; a column of
 * at most 256 values keeps them all, without their rows); per categorical column its category
 * counts; per column its missing count. A detector built from it gives the same PSI,
 * means and category tests as one built from the data, and a Kolmogorov-Smirnov statistic within
 * {@code 1 / ceil(16 sqrt(n))} of the exact one (a sixteenth of a standard error), with the p-value
 * of the true count; Wasserstein distances are approximate to the same degree.
 * {@link #toJson(boolean) toJson(true)} writes every finite value exactly instead (base64
 * little-endian IEEE-754; format 1), for reports identical to the data's — only where the values
 * may travel. Immutable and thread-safe.
 *
 * <p>The library's own profiles come from {@link #of} and {@link #fromJson}. Another implementation
 * (a profile kept in your own store, say) is accepted by {@link DriftDetector#builder(ReferenceProfile)}
 * as long as its {@link #toJson()} writes the documented format: the detector reads it through that
 * JSON.
 *
 * @since 0.1.0
 */
public interface ReferenceProfile {

    /**
     * Profiles a dataset.
     *
     * @param reference the reference data
     * @param psiBins the number of quantile bins for numeric PSI, {@code >= 2}
     * @return the profile
     */
    static ReferenceProfile of(Dataset reference, int psiBins) {
        return Profile.of(reference, psiBins);
    }

    /**
     * Reads a profile written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @return the profile
     * @throws io.mlops.core.ValidationException when the text is not a profile
     */
    static ReferenceProfile fromJson(String json) {
        return Profile.fromJson(json);
    }

    /**
     * Returns the profile as JSON without any values of the reference (format 2): the form to ship
     * and check in (see the class comment for what it holds).
     *
     * @return the profile as JSON
     */
    String toJson();

    /**
     * Returns the profile as JSON, with every finite numeric value exact (format 1) when asked.
     *
     * @param withValues whether to write the values (format 1) rather than their summaries (format 2)
     * @return the profile as JSON
     * @throws IllegalStateException when values are asked of a profile that holds summaries only
     * @since 0.1.0
     */
    default String toJson(boolean withValues) {
        if (withValues) {
            throw new UnsupportedOperationException("this profile writes no values");
        }
        return toJson();
    }

    /**
     * Tells whether the profile holds every finite value of its numeric columns (made from data, or
     * read from format 1), rather than quantile summaries (read from format 2).
     *
     * @return whether the numeric columns' values are held exactly
     * @since 0.1.0
     */
    default boolean hasValues() {
        return false;
    }

    /**
     * @return the reference's row count
     */
    long rowCount();

    /**
     * @return the reference's columns, in order
     */
    List<String> columns();

    /**
     * @param column a column of the reference
     * @return its type
     * @throws IllegalArgumentException when the reference has no such column
     */
    ColumnType type(String column);

    /**
     * @return the number of PSI bins requested for numeric columns
     */
    int psiBins();

    /**
     * Tells how far a numeric column's quantile points and PSI edges may be from the exact ones:
     * 0 when they were picked from the sorted values (every profile made in the heap, and an
     * out-of-core profile within its exact budget), else the normalised rank error bound of the
     * quantile sketch that estimated them (each point's rank is within {@code rankError * n} of its
     * exact rank, with 99% confidence); a Kolmogorov-Smirnov statistic computed from such a profile
     * is then within {@code rankError + 1 / ceil(16 sqrt(n))} of the exact one, and its p-value is
     * taken for D less the rank error (a difference the sketch alone could make is not drift). Counts, means,
     * standard deviations and the PSI proportions of its edges are exact either way.
     *
     * @param column a column of the reference
     * @return the rank error bound, 0 when exact (and for categorical columns)
     * @throws IllegalArgumentException when the reference has no such column
     * @since 0.1.0
     */
    default double rankError(String column) {
        type(column);
        return 0;
    }
}
