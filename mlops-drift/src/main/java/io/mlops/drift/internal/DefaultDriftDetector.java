package io.mlops.drift.internal;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.drift.ColumnRole;
import io.mlops.drift.Correction;
import io.mlops.drift.DefaultTests;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.Histogram;
import io.mlops.drift.ReferenceProfile;
import io.mlops.drift.Severity;
import io.mlops.drift.StatTest;
import io.mlops.drift.stats.ChiSquare;
import io.mlops.drift.stats.ChiSquareResult;
import io.mlops.drift.stats.JensenShannon;
import io.mlops.drift.stats.KsMethod;
import io.mlops.drift.stats.KsResult;
import io.mlops.drift.stats.PopulationStability;
import io.mlops.drift.stats.SortedComparison;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;

/** The {@link DriftDetector}: a profile, settings, and a bounded history. Thread-safe. */
public final class DefaultDriftDetector implements DriftDetector {

    /** Reference rows up to which {@link DefaultTests#BY_SAMPLE_SIZE} keeps p-value tests. */
    static final long P_VALUE_TESTS_UP_TO = 1000;
    static final double PSI_THRESHOLD = 0.25;
    static final int HISTOGRAM_BINS = 20;

    private final Profile profile;
    private final DriftSettings.Thresholds thresholds;
    private final int historySize;
    private final Map<String, StatTest> tests;
    private final io.mlops.drift.MultivariateDrift multivariate; // null without a multivariate method
    private final Executor executor;
    private final Clock clock = Clock.systemUTC();
    private final Deque<DriftReport> history = new ArrayDeque<>(); // guarded by itself
    private final Map<String, ColumnRole> roles;

    private DefaultDriftDetector(Profile profile, DriftSettings settings, Map<String, StatTest> tests,
                                 io.mlops.drift.MultivariateDrift multivariate) {
        this.multivariate = multivariate;
        this.profile = profile;
        this.roles = settings.roles();
        this.thresholds = settings.thresholds();
        this.historySize = settings.historySize();
        this.tests = tests;
        this.executor = Objects.requireNonNull(settings.executor(), "executor");
    }

    /**
     * Used by {@link DriftDetector.Builder#build()}.
     *
     * @param reference the reference data, or null when a profile is given
     * @param given a profile, or null
     * @param settings the builder's settings
     * @return the detector
     */
    public static DriftDetector create(Dataset reference, ReferenceProfile given, DriftSettings settings) {
        Profile profile;
        if (given instanceof Profile own) {
            profile = own;
        } else if (given != null) {
            profile = Profile.fromJson(given.toJson()); // another implementation: through the documented format
        } else {
            java.util.Set<String> ignored = new java.util.HashSet<>();
            settings.roles().forEach((column, role) -> {
                if (role == ColumnRole.IGNORED) {
                    ignored.add(column);
                }
            });
            profile = Profile.of(reference, settings.profiling().psiBins(), settings.executor(),
                    settings.profiling().retainSorted(), ignored);
        }
        for (Map.Entry<String, ColumnRole> e : settings.roles().entrySet()) {
            if (e.getValue() != ColumnRole.IGNORED && !profile.columns.containsKey(e.getKey())) {
                throw new IllegalArgumentException(e.getValue().name().toLowerCase(java.util.Locale.ROOT) + " column '"
                        + e.getKey() + "' is not in the reference (columns: " + profile.columns.keySet() + ")");
            }
        }
        Map<String, StatTest> explicit = settings.tests().explicit();
        Map<String, StatTest> tests = new LinkedHashMap<>();
        for (Map.Entry<String, StatTest> e : explicit.entrySet()) {
            ColumnType type = profile.type(e.getKey()); // throws for unknown columns
            if (!e.getValue().appliesTo(type)) {
                throw new IllegalArgumentException("statTest " + e.getValue() + " does not apply to " + type
                        + " column '" + e.getKey() + "'");
            }
        }
        boolean pValues = settings.tests().defaults() == DefaultTests.P_VALUE || profile.rowCount <= P_VALUE_TESTS_UP_TO;
        for (Profile.Column c : profile.columns.values()) {
            if (settings.roles().get(c.name) == ColumnRole.IGNORED) {
                continue;
            }
            StatTest test = explicit.get(c.name);
            if (test == null) {
                test = c.type() == ColumnType.NUMERIC
                        ? (pValues ? StatTest.KOLMOGOROV_SMIRNOV : StatTest.WASSERSTEIN_NORMALIZED)
                        : (pValues ? StatTest.CHI_SQUARE : StatTest.JENSEN_SHANNON);
            }
            tests.put(c.name, test);
        }
        io.mlops.drift.MultivariateDrift fitted = null;
        if (settings.multivariate() != null) {
            if (reference == null) {
                throw new IllegalStateException("multivariate drift needs the reference rows: build the detector from a"
                        + " Dataset, not a profile");
            }
            Dataset.Builder features = Dataset.builder();
            for (String c : reference.columnNames()) {
                if (reference.type(c) == io.mlops.core.ColumnType.NUMERIC
                        && settings.roles().getOrDefault(c, ColumnRole.FEATURE) == ColumnRole.FEATURE) {
                    features.numeric(c, reference.numeric(c));
                }
            }
            fitted = settings.multivariate().fit(features.build());
        }
        return new DefaultDriftDetector(profile, settings, tests, fitted);
    }

    @Override
    public ReferenceProfile profile() {
        return profile;
    }

    @Override
    public List<DriftReport> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    @Override
    public DriftReport detect(Dataset current) {
        Objects.requireNonNull(current, "current");
        long started = System.nanoTime();
        List<Profile.Column> columns = new ArrayList<>(profile.columns.values());
        columns.removeIf(c -> roles.get(c.name) == ColumnRole.IGNORED);
        List<Evaluated> evaluated = Parallel.map(columns, c -> evaluate(c, current), executor);
        io.mlops.drift.MultivariateDrift.Result together = multivariate == null || current.rowCount() == 0 ? null
                : multivariate.detect(current);
        return report(evaluated, current.rowCount(), current.columnNames(), Map.of(), started, together);
    }

    @Override
    public DriftReport detect(ReferenceProfile current) {
        Objects.requireNonNull(current, "current");
        long started = System.nanoTime();
        Profile cur = current instanceof Profile p ? p : Profile.fromJson(current.toJson());
        List<Profile.Column> columns = new ArrayList<>(profile.columns.values());
        columns.removeIf(c -> roles.get(c.name) == ColumnRole.IGNORED);
        List<Evaluated> evaluated = Parallel.map(columns, c -> evaluate(c, cur), executor);
        return report(evaluated, cur.rowCount, cur.columns(), cur.rankErrors(), started, null);
    }

    private DriftReport report(List<Evaluated> evaluated, long currentRows, List<String> currentColumns,
                               Map<String, Double> currentRankErrors, long started,
                               io.mlops.drift.MultivariateDrift.Result together) {
        List<Evaluated> features = new ArrayList<>();
        for (Evaluated e : evaluated) {
            if (roles.getOrDefault(e.name, ColumnRole.FEATURE) == ColumnRole.FEATURE) {
                features.add(e);
            } else {
                e.adjusted = e.pValue; // target and prediction: tests of their own, outside the features' family
            }
        }
        applyCorrection(features);
        Map<String, FeatureDrift> drifts = new LinkedHashMap<>();
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        Map<String, io.mlops.drift.CategoryShares> shares = new LinkedHashMap<>();
        for (Evaluated e : evaluated) {
            FeatureDrift f = e.finish(thresholds.significance(), thresholds.distance());
            drifts.put(f.feature(), f);
            if (e.histogram != null) {
                histograms.put(f.feature(), e.histogram);
            }
            if (e.shares != null) {
                shares.put(f.feature(), e.shares);
            }
        }
        List<String> newColumns = new ArrayList<>();
        for (String name : currentColumns) {
            if (!profile.columns.containsKey(name) && roles.get(name) != ColumnRole.IGNORED) {
                newColumns.add(name);
            }
        }
        Map<String, ColumnRole> reported = new LinkedHashMap<>(roles);
        reported.values().removeIf(r -> r == ColumnRole.IGNORED);
        DriftReport report = new DriftReport(clock.instant(), profile.rowCount, currentRows, drifts, newColumns,
                thresholds.significance(), thresholds.correction(), thresholds.driftShare(), histograms, shares, reported,
                profile.rankErrors(), currentRankErrors, together);
        org.slf4j.LoggerFactory.getLogger(DefaultDriftDetector.class).debug(
                "Drift check of {} rows x {} columns in {} ms: {}", currentRows, profile.columns.size(),
                (System.nanoTime() - started) / 1_000_000, report.summary());
        synchronized (history) {
            if (historySize > 0) {
                if (history.size() == historySize) {
                    history.removeFirst();
                }
                history.addLast(report);
            }
        }
        return report;
    }

    private void applyCorrection(List<Evaluated> evaluated) {
        List<Evaluated> tested = new ArrayList<>();
        for (Evaluated e : evaluated) {
            if (e.pValue != null) {
                tested.add(e);
            }
        }
        int m = tested.size();
        Correction correction = thresholds.correction();
        if (correction == Correction.NONE || m == 0) {
            tested.forEach(e -> e.adjusted = e.pValue);
        } else if (correction == Correction.BONFERRONI) {
            tested.forEach(e -> e.adjusted = Math.min(1.0, e.pValue * m));
        } else {
            tested.sort((a, b) -> Double.compare(a.pValue, b.pValue));
            double running = 1.0;
            for (int i = m - 1; i >= 0; i--) {
                running = Math.min(running, tested.get(i).pValue * m / (i + 1));
                tested.get(i).adjusted = Math.min(1.0, running);
            }
        }
    }

    private Evaluated evaluate(Profile.Column reference, Dataset current) {
        StatTest test = tests.get(reference.name);
        if (!current.hasColumn(reference.name) || current.type(reference.name) != reference.type()) {
            double refMissing = profile.rowCount == 0 ? 0 : reference.missing() / (double) profile.rowCount;
            Evaluated e = new Evaluated(reference.name, reference.type(), FeatureDrift.Status.MISSING, test, refMissing);
            return e;
        }
        if (reference instanceof Profile.Numeric) {
            return numeric((Profile.Numeric) reference, current, test);
        }
        Profile.Categorical c = (Profile.Categorical) reference;
        return categorical(c, current, test, profile.rowCount == 0 ? 0 : c.missing() / (double) profile.rowCount);
    }

    private Evaluated evaluate(Profile.Column reference, Profile current) {
        StatTest test = tests.get(reference.name);
        Profile.Column cur = current.columns.get(reference.name);
        double refMissing = profile.rowCount == 0 ? 0 : reference.missing() / (double) profile.rowCount;
        if (cur == null || cur.type() != reference.type()) {
            return new Evaluated(reference.name, reference.type(), FeatureDrift.Status.MISSING, test, refMissing);
        }
        if (reference instanceof Profile.Numeric ref) {
            Profile.Numeric c = (Profile.Numeric) cur;
            double[] refSorted = ref.sorted();
            double[] curSorted = c.sorted();
            try {
                Profile.Numeric.Stats stats = c.stats();
                return compare(ref, refSorted, curSorted, c.finiteCount(), current.rowCount == 0 ? 0
                        : (current.rowCount - c.finiteCount()) / (double) current.rowCount, stats.mean(), stats.std(),
                        c.rankError(), test);
            } finally {
                ref.done(refSorted);
                c.done(curSorted);
            }
        }
        Profile.Categorical c = (Profile.Categorical) cur;
        return categorical((Profile.Categorical) reference, c.counts, current.rowCount, test, refMissing);
    }

    private Evaluated numeric(Profile.Numeric ref, Dataset current, StatTest test) {
        // the column's values in a reused array: 8 MB a column at a million rows, not kept after
        double[] values = DoubleSort.borrow(current.rowCount());
        double[] refSorted = ref.sorted();
        try {
            current.copyNumeric(ref.name, values);
            return numeric(ref, refSorted, values, current.rowCount(), test);
        } finally {
            DoubleSort.release(values);
            ref.done(refSorted);
        }
    }

    private Evaluated numeric(Profile.Numeric ref, double[] refSorted, double[] values, int rowCount, StatTest test) {
        double[] cur = DoubleSort.sortFiniteInPlace(values);
        Moments moments = Moments.ofSorted(cur);
        return compare(ref, refSorted, cur, cur.length, rowCount == 0 ? 0 : (rowCount - cur.length) / (double) rowCount,
                moments.mean(), moments.std(), 0, test);
    }

    /**
     * Compares a numeric column's sorted finite values, or quantile points standing for
     * {@code curCount} values, with the reference's.
     */
    private Evaluated compare(Profile.Numeric ref, double[] refSorted, double[] cur, long curCount, double curMissing,
                              double curMean, double curStd, double curRankError, StatTest test) {
        Profile.Numeric.Stats stats = ref.stats();
        double refMissing = profile.rowCount == 0 ? 0 : stats.missing() / (double) profile.rowCount;
        boolean testable = refSorted.length > 0 && cur.length > 0;
        Evaluated e = new Evaluated(ref.name, ColumnType.NUMERIC,
                testable ? FeatureDrift.Status.EVALUATED : FeatureDrift.Status.NOT_TESTABLE, test, refMissing);
        e.currentMissingShare = curMissing;
        e.missingShareDrift = Math.abs(curMissing - refMissing) > thresholds.missingShare();
        if (!testable) {
            return e;
        }
        SortedComparison both = SortedComparison.of(refSorted, cur); // one walk for KS and Wasserstein
        // summarised sides: quantile points give the statistic, the true counts the p-value; a count beyond int (a
        // profile made by Spark) is held at Integer.MAX_VALUE, which changes the asymptotic p-value's effective size
        // n m / (n + m) by less than m / 2^31 of itself. Sketched sides: the p-value is that of D less their rank
        // errors, so that what the sketches alone could have made (at ten million rows a side, more than the
        // exact test's resolution) is not called drift
        KsResult ks = ref.summarised() || curCount != cur.length
                ? both.ks(KsMethod.AUTO, (int) Math.min(Integer.MAX_VALUE, ref.finiteCount()), (int) Math.min(Integer.MAX_VALUE, curCount),
                        Math.min(1, ref.rankError() + curRankError))
                : both.ks(KsMethod.AUTO);
        e.psi = PopulationStability.index(stats.proportions(), PopulationStability.proportions(cur, stats.edges()));
        double wasserstein = both.wasserstein();
        double scale = (Double.isNaN(stats.std()) ? 0 : stats.std()) + 1e-8;
        e.histogram = Evaluated.histogram(refSorted, cur);
        e.stats = new FeatureDrift.NumericStats(ks.statistic(), ks.pValue(), wasserstein, wasserstein / scaleOf(stats.std()),
                stats.mean(), curMean, finiteOrNull(stats.std()), finiteOrNull(curStd), Math.abs(curMean - stats.mean()) / scale,
                Double.isNaN(curStd) || Double.isNaN(stats.std()) ? null : Math.abs(curStd - stats.std()) / scale);
        e.decide(test);
        return e;
    }

    private Evaluated categorical(Profile.Categorical ref, Dataset current, StatTest test, double refMissing) {
        return categorical(ref, current.categoryCounts(ref.name), current.rowCount(), test, refMissing);
    }

    private Evaluated categorical(Profile.Categorical ref, Map<String, Long> counts, long rows, StatTest test, double refMissing) {
        Map<String, Long> curCounts = new TreeMap<>(counts);
        long curTotal = curCounts.values().stream().mapToLong(Long::longValue).sum();
        // every present value is counted: the rest are missing (one pass over the column, not two)
        double curMissing = rows == 0 ? 0 : (rows - curTotal) / (double) rows;
        boolean testable = ref.total > 0 && curTotal > 0;
        Evaluated e = new Evaluated(ref.name, ColumnType.CATEGORICAL,
                testable ? FeatureDrift.Status.EVALUATED : FeatureDrift.Status.NOT_TESTABLE, test, refMissing);
        e.currentMissingShare = curMissing;
        e.missingShareDrift = Math.abs(curMissing - refMissing) > thresholds.missingShare();
        TreeSet<String> union = new TreeSet<>(ref.counts.keySet());
        union.addAll(curCounts.keySet());
        List<String> added = new ArrayList<>();
        List<String> vanished = new ArrayList<>();
        for (String c : union) {
            if (!ref.counts.containsKey(c)) {
                added.add(c);
            }
            if (!curCounts.containsKey(c)) {
                vanished.add(c);
            }
        }
        if (!testable) {
            return e;
        }
        long[][] table = new long[2][union.size()];
        double[] p = new double[union.size()];
        double[] q = new double[union.size()];
        int j = 0;
        for (String c : union) {
            table[0][j] = ref.counts.getOrDefault(c, 0L);
            table[1][j] = curCounts.getOrDefault(c, 0L);
            p[j] = table[0][j] / (double) ref.total;
            q[j] = table[1][j] / (double) curTotal;
            j++;
        }
        ChiSquareResult chi = ChiSquare.contingency(table, true);
        e.psi = PopulationStability.index(p, q);
        e.stats = new FeatureDrift.CategoricalStats(chi.statistic(), chi.pValue(), JensenShannon.distance(p, q), added, vanished);
        e.shares = io.mlops.drift.CategoryShares.of(List.copyOf(union), p, q);
        e.decide(test);
        return e;
    }

    /** Wasserstein-1 is normalised by the reference's standard deviation, when it has one. */
    private static double scaleOf(double std) {
        return std > 0 ? std : 1;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
