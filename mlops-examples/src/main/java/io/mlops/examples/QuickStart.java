package io.mlops.examples;

import io.mlops.core.Dataset;
import io.mlops.core.MlopsConfig;
import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's quick start, kept here so that it compiles and runs with the build
 * ({@code QuickStartTest}). Edit both together.
 */
public final class QuickStart {

    private QuickStart() {
    }

    /**
     * Runs the quick start in a folder.
     *
     * @param dir where files are written
     * @return the dataset's content hash
     * @throws IOException when the blob store fails
     */
    public static String run(Path dir) throws IOException {
        // README quick start: begin
        MlopsConfig config = MlopsConfig.loadIfExists(dir.resolve("config.json")) // defaults, deep-merged with the file if any
                .withEnvironment(System.getenv());                          // MLOPS_MODEL__VERSION=2.0.0 wins
        int trees = config.getInt("model.hyperparameters.n_estimators");    // 100 unless overridden

        Dataset data = Dataset.builder()
                .numeric("feature1", new double[] {0.5, 1.5, Double.NaN})     // NaN = missing
                .categorical("category1", new String[] {"A", "B", null})      // null = missing
                .build();
        data.writeCsv(dir.resolve("data.csv"));                            // atomic, shortest round-trip doubles
        Dataset back = Dataset.readCsv(dir.resolve("data.csv"));
        String id = back.contentHash();                                     // same data, same hash, however formatted

        BlobStore blobs = BlobStore.fileSystem(dir.resolve("blobs"));       // content-addressed, crash-safe
        BlobRef ref;
        try (InputStream file = Files.newInputStream(dir.resolve("data.csv"))) {
            ref = blobs.put(file);                                          // streamed, hashed, fsync'd, renamed
        }
        try (InputStream in = blobs.open(ref.sha256())) {                   // verifies SHA-256 while reading
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        // README quick start: end
        System.out.println(trees + " trees, dataset " + id + ", blob " + ref.sha256());
        return id;
    }
}
