package io.mlops.data.internal;

import io.mlops.core.Dataset;
import io.mlops.core.Schema;
import io.mlops.core.ValidationException;
import io.mlops.data.spi.DatasetFormat;
import io.mlops.data.spi.StoredVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * {@code load(id)}: a version read into the heap as a dataset, verified against its digests — a
 * dataset in the format it was stored in (the repository's own, CSV, or any a module on the class
 * path provides), a folder version's Parquet parts, or a CSV file version.
 */
final class VersionLoader {

    private VersionLoader() {
    }

    static Dataset load(DefaultDataVersioning data, StoredVersion s) throws IOException {
        String id = s.version().id();
        if (s.isFolder()) {
            return FolderVersions.load(data, s);
        }
        if (s.schemaSha256() != null) {
            Schema schema;
            try (InputStream in = data.blobs.open(s.schemaSha256())) {
                schema = Records.schema(in.readAllBytes(), "schema of " + id);
            }
            DatasetFormat reader = s.format().equals(data.format.name()) ? data.format : DatasetFormat.named(s.format())
                    .orElseThrow(() -> new ValidationException("Dataset version '" + id + "' is stored as '" + s.format()
                            + "', a format this DataVersioning was not built with and no module on the class path provides"
                            + (s.format().equals("parquet") ? " (add io.mlops:mlops-parquet)" : "")));
            try (InputStream in = data.blobs.open(s.blobSha256())) {
                Dataset d = reader.read(in, "dataset version " + id, schema);
                in.transferTo(OutputStream.nullOutputStream()); // reach the end: verifies the digest
                return d;
            }
        }
        String fileName = s.fileName() == null ? "" : s.fileName();
        if (!fileName.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw new ValidationException("Dataset version '" + id + "' is a file (" + fileName
                    + "), not a CSV: read its bytes with open(id)");
        }
        Path temp = Files.createTempFile("mlops-load-", ".csv");
        try {
            try (InputStream in = data.blobs.open(s.blobSha256())) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING); // verified while copied
            }
            try {
                return Dataset.readCsv(temp);
            } catch (ValidationException e) {
                // name the version, not the temporary copy it was read from
                throw new ValidationException(e.getMessage().replace(temp.toString(), "dataset version '" + id
                        + "' (file " + fileName + ")"), e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
