package io.mlops.benchmarks;

import io.mlops.core.Dataset;
import io.mlops.data.DataVersioning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A nightly job's commit, in a fresh process: generates a 1M x 10 numeric frame (as
 * {@code DataCommitBenchmark} does), then commits it ({@code commit(name, frame).save()}: canonical
 * hash, CSV rendering streamed into the blob store, schema, version record) three times with one
 * value changed each time, timing each; the first is a fresh process's. The chapter's side is
 * {@code bin/reference-data}.
 * {@code java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.DataCommitProcess [ROWS]}
 */
public final class DataCommitProcess {

    private DataCommitProcess() {
    }

    /**
     * @param args rows (default 1,000,000)
     * @throws IOException when the temporary folder cannot be made or removed
     */
    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Dataset base = BenchData.numeric(rows, 10, 5);
        Path root = Files.createTempDirectory("mlops-data-commit");
        try {
            DataVersioning data = DataVersioning.fileSystem(root);
            StringBuilder out = new StringBuilder();
            for (int rep = 0; rep < 3; rep++) {
                double[] first = base.numeric("feature0");
                first[0] = rep + 1;
                Dataset next = base.toBuilder().remove("feature0").numeric("feature0", first).build();
                long start = System.nanoTime();
                data.commit("bench", next).save();
                out.append(String.format(" %.0f ms", (System.nanoTime() - start) / 1e6));
            }
            System.out.printf("mlops: commit %d x 10:%s (the first %d ms after the JVM started)%n", rows, out,
                    System.currentTimeMillis() - jvmStart);
        } finally {
            BenchData.deleteTree(root);
        }
    }
}
