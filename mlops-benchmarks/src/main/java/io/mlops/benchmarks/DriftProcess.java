package io.mlops.benchmarks;

import io.mlops.core.Dataset;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process, as a user's would be: generates the {@link DriftBenchmark} data (20 numeric and 5
 * categorical columns, {@code ROWS} rows each side), builds a detector and detects drift once, and
 * prints the wall time and the process's peak RSS (VmHWM, what {@code bin/reference-drift} prints for
 * the chapter's Python detector on the same data). Run it with the JVM's default options:
 * {@code java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.DriftProcess 1000000 [lean] [RUNS]}.
 */
public final class DriftProcess {

    private DriftProcess() {
    }

    /**
     * Runs it.
     *
     * @param args rows, then optionally "lean" (retainSortedReference(false)) and the number of runs
     * @throws IOException when /proc cannot be read
     */
    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        boolean lean = args.length > 1 && args[1].equals("lean");
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long start = System.nanoTime();
        Dataset reference = DriftBenchmark.data(rows, 7, false);
        Dataset current = DriftBenchmark.data(rows, 8, true);
        long generated = System.nanoTime();
        long rssAfterData = peakRssMb();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            DriftReport report = DriftDetector.builder(reference).retainSortedReference(!lean).build().detect(current);
            System.out.printf("mlops%s: detect %.0f ms; data %.0f ms; drifted %d; peak RSS %d MB (%d MB after the data)%n",
                    lean ? " (lean)" : "", (System.nanoTime() - t) / 1e6, (generated - start) / 1e6,
                    report.summary().driftedFeatures(), peakRssMb(), rssAfterData);
        }
    }

    static long peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
