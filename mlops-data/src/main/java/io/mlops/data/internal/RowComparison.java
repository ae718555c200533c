package io.mlops.data.internal;

import io.mlops.core.Dataset;
import io.mlops.core.MlopsException;
import io.mlops.core.ValidationException;
import io.mlops.data.RowDiff;
import io.mlops.data.spi.RowDiffer;
import io.mlops.data.spi.StoredVersion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code compareRows}: both versions as Parquet in a temporary folder (a folder version checked
 * out, a Parquet version's bytes copied, streamed; a dataset or CSV version written from the heap,
 * where it came from), then the {@link RowDiffer} on the class path joins them. The folder is
 * removed afterwards, whatever happens.
 */
final class RowComparison {

    /** Examples of each kind a comparison keeps. */
    static final int EXAMPLES = 10;

    /** Progress is reported in hundredths of the work: 30 for writing the versions out, 70 for the engine's steps. */
    static final int STEPS = 100;

    private RowComparison() {
    }

    static RowDiff compare(DefaultDataVersioning data, StoredVersion a, StoredVersion b, List<String> keys,
                           io.mlops.core.ProgressListener progress) throws IOException {
        RowDiffer differ = RowDiffer.find().orElseThrow(() -> new MlopsException("compareRows needs io.mlops:mlops-parquet on the"
                + " class path (its embedded engine joins the versions on disk); add that dependency"));
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("compareRows needs at least one key column");
        }
        Path temp = Files.createTempDirectory("mlops-rowdiff-");
        try {
            Path before;
            Path after;
            try {
                before = side(data, a, temp.resolve("before"));
                progress.progress(15, STEPS);
                after = side(data, b, temp.resolve("after"));
                progress.progress(30, STEPS);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted() || e instanceof java.nio.channels.ClosedByInterruptException) {
                    throw new MlopsException("Comparing '" + a.version().id() + "' with '" + b.version().id() + "' was interrupted", e);
                }
                throw new io.mlops.core.StorageException("Cannot compare '" + a.version().id() + "' with '" + b.version().id()
                        + "': cannot write them out under " + temp + ": " + e.getMessage(), e);
            }
            // the engine's steps take the last 70 hundredths
            return differ.diff(new RowDiffer.Side(a.version().id(), before), new RowDiffer.Side(b.version().id(), after), keys,
                    EXAMPLES, (done, total) -> progress.progress(30 + done * (STEPS - 30) / Math.max(1, total), STEPS));
        } finally {
            io.mlops.core.internal.io.TempFolders.deleteQuietly(temp);
        }
    }

    private static Path side(DefaultDataVersioning data, StoredVersion s, Path where) throws IOException {
        if (s.isFolder()) {
            FolderVersions.checkout(data, s, where);
            return where;
        }
        Path file = where.resolveSibling(where.getFileName() + ".parquet");
        String name = s.fileName() == null ? "" : s.fileName().toLowerCase(Locale.ROOT);
        if (s.format().equals("parquet") || s.format().equals(StoredVersion.FILE) && name.endsWith(".parquet")) {
            try (InputStream in = data.blobs.open(s.blobSha256())) {
                Files.copy(in, file); // verified as it is read
            }
            return file;
        }
        if (s.version().isDataset() || name.endsWith(".csv")) {
            Dataset d = data.load(s.version().id());
            d.writeParquet(file);
            return file;
        }
        throw new ValidationException("Dataset version '" + s.version().id() + "' is a file (" + s.fileName()
                + "), neither a table nor Parquet nor CSV: its rows cannot be compared");
    }
}
