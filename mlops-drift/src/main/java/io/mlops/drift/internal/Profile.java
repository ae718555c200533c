package io.mlops.drift.internal;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.core.ValidationException;
import io.mlops.drift.ReferenceProfile;
import io.mlops.drift.stats.PopulationStability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@link ReferenceProfile} implementation: immutable after construction. */
public final class Profile implements ReferenceProfile {


    final long rowCount;
    final int psiBins;
    final Map<String, Column> columns; // in order

    /** One column's profile. */
    abstract static class Column {
        final String name;

        Column(String name) {
            this.name = name;
        }

        abstract ColumnType type();

        /**
         * @return the reference's missing (for numeric columns: non-finite) values
         */
        abstract long missing();
    }

    /**
     * Sorted finite values and what is derived from them. Either the sorted copy is retained
     * (repeated checks are fast) or, in the memory-lean mode, the column is sorted again from the
     * reference dataset whenever it is needed and only the derived statistics are kept. A retained
     * copy is made by the column's second use — a detector checked once never holds it — in the
     * task that compares the column, so that the sorted reference is still in the processor's
     * cache when it is walked; the profile lets go of the reference dataset once every column has
     * its copy.
     */
    static final class Numeric extends Column {
        private final boolean retain;
        private final long rows;
        private final int psiBins;
        private volatile double[] retained;
        private volatile Dataset source; // until the sorted copy is made; always in the memory-lean mode
        private volatile Stats stats;
        private final java.util.concurrent.atomic.AtomicInteger uses = new java.util.concurrent.atomic.AtomicInteger();

        /** What the checks need besides the sorted values. */
        record Stats(long missing, double mean, double std, double[] edges, double[] proportions) {
        }

        /** The reference's finite values (its exact sample), or -1 when the column holds them all. */
        private final long summarised;
        /** The normalised rank error of the quantile points and PSI edges (0: taken from the sorted values). */
        private final double rankError;

        Numeric(String name, double[] sorted, long rows, int psiBins) {
            super(name);
            this.retain = true;
            this.retained = sorted;
            this.source = null;
            this.rows = rows;
            this.psiBins = psiBins;
            this.stats = statsOf(sorted);
            this.summarised = -1;
            this.rankError = 0;
        }

        /**
         * A summarised column: its quantile points ({@link QuantileSummary}) stand in for the
         * finite values, of which there were {@code finite}; the statistics were computed from the
         * exact values when the profile was made.
         */
        Numeric(String name, double[] points, long finite, long rows, int psiBins, Stats stats, double rankError) {
            super(name);
            this.rankError = rankError;
            this.retain = true;
            this.retained = points;
            this.source = null;
            this.rows = rows;
            this.psiBins = psiBins;
            this.stats = stats;
            this.summarised = finite;
        }

        /** Whether the column holds quantile points instead of every finite value. */
        boolean summarised() {
            return summarised >= 0;
        }

        /** The number of finite reference values (the count the quantile points summarise). */
        long finiteCount() {
            return summarised >= 0 ? summarised : rows - stats().missing();
        }

        Numeric(String name, Dataset source, int psiBins, boolean retain) {
            super(name);
            this.retain = retain;
            this.source = source;
            this.rows = source.rowCount();
            this.psiBins = psiBins;
            this.summarised = -1;
            this.rankError = 0;
        }

        /** The normalised rank error of the quantile points and PSI edges: 0 when exact, else a sketch's bound. */
        double rankError() {
            return rankError;
        }

        private Stats statsOf(double[] sorted) {
            Moments moments = Moments.ofSorted(sorted);
            double[] edges = sorted.length == 0 ? new double[0] : PopulationStability.quantileEdges(sorted, psiBins);
            return new Stats(rows - sorted.length, moments.mean(), moments.std(), edges,
                    sorted.length == 0 ? new double[0] : PopulationStability.proportions(sorted, edges));
        }

        /**
         * Returns the finite reference values, sorted: the retained copy, or an array borrowed from
         * {@link DoubleSort#borrow} that the caller gives back with {@link #done}. A retaining
         * column lends a borrowed array for its first use and makes the copy it keeps at its
         * second, so that a detector used once (a command line's check) never holds the copies.
         *
         * @return the finite reference values, sorted
         */
        double[] sorted() {
            double[] copy = retained;
            if (copy != null) {
                return copy;
            }
            if (retain && uses.getAndIncrement() > 0) {
                return retainCopy();
            }
            Dataset from = source;
            if (from == null) {
                return retained; // another check made the copy meanwhile (it is set before source is cleared)
            }
            double[] values = DoubleSort.borrow(Math.toIntExact(rows));
            from.copyNumeric(name, values);
            double[] sorted = DoubleSort.sortFiniteInPlace(values);
            if (sorted != values) {
                DoubleSort.release(values); // there were missing values: the finite ones are a copy
            }
            if (stats == null) {
                stats = statsOf(sorted); // the same values every time: a race computes equal stats
            }
            return sorted;
        }

        private synchronized double[] retainCopy() {
            if (retained == null) {
                double[] sorted = DoubleSort.sortFiniteInPlace(source.numeric(name));
                if (stats == null) {
                    stats = statsOf(sorted);
                }
                retained = sorted;
                source = null;
            }
            return retained;
        }

        /**
         * Gives back an array {@link #sorted()} lent (nothing to do for the retained copy).
         *
         * @param sorted what {@link #sorted()} returned
         */
        void done(double[] sorted) {
            if (sorted != retained) {
                DoubleSort.release(sorted);
            }
        }

        /**
         * @return whether the sorted copy is held
         */
        boolean holdsCopy() {
            return retained != null;
        }

        Stats stats() {
            Stats s = stats;
            if (s == null) {
                done(sorted());
                s = stats;
            }
            return s;
        }

        @Override
        long missing() {
            return stats().missing();
        }

        @Override
        ColumnType type() {
            return ColumnType.NUMERIC;
        }
    }

    /** Category counts, sorted by category. */
    static final class Categorical extends Column {
        final TreeMap<String, Long> counts;
        final long total;

        private final long missing;

        Categorical(String name, long missing, Map<String, Long> counts) {
            super(name);
            this.missing = missing;
            this.counts = new TreeMap<>(counts);
            this.total = this.counts.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        long missing() {
            return missing;
        }

        @Override
        ColumnType type() {
            return ColumnType.CATEGORICAL;
        }
    }

    Profile(long rowCount, int psiBins, Map<String, Column> columns) {
        this.rowCount = rowCount;
        this.psiBins = psiBins;
        this.columns = Collections.unmodifiableMap(columns);
    }

    /**
     * Profiles a dataset, one column per task on the given pool.
     *
     * @param reference the data
     * @param psiBins PSI bins, {@code >= 2}
     * @return the profile
     */
    public static Profile of(Dataset reference, int psiBins) {
        return of(reference, psiBins, Parallel.DEFAULT, true);
    }

    static Profile of(Dataset reference, int psiBins, java.util.concurrent.Executor executor, boolean retainSorted) {
        return of(reference, psiBins, executor, retainSorted, java.util.Set.of());
    }

    static Profile of(Dataset reference, int psiBins, java.util.concurrent.Executor executor, boolean retainSorted,
                      java.util.Set<String> skip) {
        if (psiBins < 2) {
            throw new IllegalArgumentException("psiBins must be >= 2 but was " + psiBins);
        }
        List<String> names = new java.util.ArrayList<>(reference.columnNames());
        names.removeAll(skip);
        List<Column> built = Parallel.map(names, name -> column(reference, name, psiBins, retainSorted), executor);
        Map<String, Column> columns = new LinkedHashMap<>();
        for (Column c : built) {
            columns.put(c.name, c);
        }
        return new Profile(reference.rowCount(), psiBins, columns);
    }

    private static Column column(Dataset d, String name, int psiBins, boolean retainSorted) {
        if (d.type(name) == ColumnType.NUMERIC) {
            return new Numeric(name, d, psiBins, retainSorted); // sorted when first needed
        }
        Map<String, Long> counts = d.categoryCounts(name); // every present value: the rest are missing
        long present = counts.values().stream().mapToLong(Long::longValue).sum();
        return new Categorical(name, d.rowCount() - present, counts);
    }

    @Override
    public long rowCount() {
        return rowCount;
    }

    @Override
    public List<String> columns() {
        return List.copyOf(columns.keySet());
    }

    @Override
    public ColumnType type(String column) {
        Column c = columns.get(column);
        if (c == null) {
            throw new IllegalArgumentException("the reference has no column '" + column + "'; columns are " + columns.keySet());
        }
        return c.type();
    }

    @Override
    public int psiBins() {
        return psiBins;
    }

    @Override
    public double rankError(String column) {
        type(column);
        return columns.get(column) instanceof Numeric n ? n.rankError() : 0;
    }

    /** The numeric columns whose quantile points come from a sketch, with its rank error, in column order. */
    Map<String, Double> rankErrors() {
        Map<String, Double> out = new LinkedHashMap<>();
        columns.values().forEach(c -> {
            if (c instanceof Numeric n && n.rankError() > 0) {
                out.put(c.name, n.rankError());
            }
        });
        return out;
    }

    @Override
    public String toJson() {
        return ProfileJson.write(this, false);
    }

    @Override
    public String toJson(boolean withValues) {
        if (withValues && !hasValues()) {
            throw new IllegalStateException("this profile holds quantile summaries of its numeric columns, not their values");
        }
        return ProfileJson.write(this, withValues);
    }

    @Override
    public boolean hasValues() {
        return columns.values().stream().noneMatch(c -> c instanceof Numeric n && n.summarised());
    }

    /**
     * @param json text written by {@link #toJson()}
     * @return the profile
     * @throws ValidationException when the text is not a profile
     */
    public static Profile fromJson(String json) {
        return ProfileJson.read(json);
    }

    /** Names of the numeric columns, for messages. */
    List<String> numericColumns() {
        List<String> out = new ArrayList<>();
        columns.values().forEach(c -> {
            if (c instanceof Numeric) {
                out.add(c.name);
            }
        });
        return out;
    }
}
