package io.mlops.benchmarks;

import io.mlops.core.Dataset;

import java.util.SplittableRandom;

/** Data shared by the benchmarks. */
final class BenchData {

    private BenchData() {
    }

    /** A rows x columns numeric dataset of seeded doubles with full-precision values. */
    static Dataset numeric(int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Dataset.Builder b = Dataset.builder();
        for (int c = 0; c < columns; c++) {
            double[] values = new double[rows];
            for (int i = 0; i < rows; i++) {
                values[i] = random.nextDouble() * 1000 - 500;
            }
            b.numeric("feature" + c, values);
        }
        return b.build();
    }

    /** Deletes a folder and everything in it. */
    static void deleteTree(java.nio.file.Path root) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
