package io.mlops.benchmarks;

import io.mlops.core.Dataset;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Builder (reference profile) + detect on 20 numeric and 5 categorical columns, {@code rows} rows on
 * each side, the current data shifted in half of the columns; and a repeated check by a detector
 * that has checked before. The reference implementation needs
 * 11.5-13.5 s and 841 MB at 1M rows on this machine ({@code bin/reference-drift}, 2026-11-30).
 * After each iteration the heap's peak (all heap pools, reset before the iteration) is printed
 * beside the two datasets' own array bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-XX:+UseParallelGC"})
public class DriftBenchmark {

    @Param({"100000", "1000000"})
    public int rows;

    /** true: the profile keeps sorted reference copies (default); false: the memory-lean mode. */
    @Param({"true", "false"})
    public boolean retainSortedReference;

    Dataset reference;
    Dataset current;
    long datasetBytes;
    /** A detector that has checked twice: with retainSortedReference it holds the sorted copies. */
    DriftDetector checked;

    @Setup
    public void setUp() {
        reference = data(rows, 7, false);
        current = data(rows, 8, true);
        // 20 numeric columns of 8-byte doubles and 5 categorical columns of 4-byte codes, per side
        datasetBytes = 2L * rows * (20 * 8 + 5 * 4);
        checked = DriftDetector.builder(reference).retainSortedReference(retainSortedReference).build();
        checked.detect(current);
        checked.detect(current);
    }

    static Dataset data(int rows, long seed, boolean shifted) {
        SplittableRandom r = new SplittableRandom(seed);
        Dataset.Builder b = Dataset.builder();
        for (int c = 0; c < 20; c++) {
            double shift = shifted && c % 2 == 0 ? 0.1 : 0;
            double[] v = new double[rows];
            for (int i = 0; i < rows; i++) {
                v[i] = r.nextDouble() + r.nextDouble() + r.nextDouble() + shift;
            }
            b.numeric("num" + c, v);
        }
        String[] categories = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
        for (int c = 0; c < 5; c++) {
            String[] v = new String[rows];
            for (int i = 0; i < rows; i++) {
                int k = r.nextInt(shifted && c % 2 == 0 ? 6 : 5);
                v[i] = categories[k];
            }
            b.categorical("cat" + c, v);
        }
        return b.build();
    }

    @Setup(Level.Iteration)
    public void resetPeak() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    @TearDown(Level.Iteration)
    public void reportPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("%n[peak heap %d MB = %.2fx the datasets' %d MB of arrays]%n", peak >> 20,
                peak / (double) datasetBytes, datasetBytes >> 20);
    }

    /** A detector used once, as the chapter's: profile the reference, check the current data. */
    @Benchmark
    public DriftReport buildAndDetect() {
        return DriftDetector.builder(reference).retainSortedReference(retainSortedReference).build().detect(current);
    }

    /** Another check by a detector that has checked before (a service checking batch after batch). */
    @Benchmark
    public DriftReport detectAgain() {
        return checked.detect(current);
    }
}
