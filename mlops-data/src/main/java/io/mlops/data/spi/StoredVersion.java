package io.mlops.data.spi;

import io.mlops.core.internal.io.Sha256;
import io.mlops.data.DatasetVersion;

import java.util.Objects;

/**
 * What a {@link DatasetStore} keeps per version: the public record and where its bytes are.
 *
 * @param version the version
 * @param blobSha256 the blob holding the stored bytes (the rendering of a dataset, or the file)
 * @param schemaSha256 the blob holding the schema sidecar of a dataset; {@code null} for a file
 * @param format the {@link DatasetFormat#name()} of a dataset, or {@code file}
 * @param fileName the committed file's name for a file version; {@code null} for a dataset
 * @since 0.1.0
 */
public record StoredVersion(DatasetVersion version, String blobSha256, String schemaSha256, String format,
                            String fileName) {

    /** The {@link #format()} of file versions. */
    public static final String FILE = "file";

    /**
     * Validates the components.
     *
     * @param version the version
     * @param blobSha256 the bytes' blob
     * @param schemaSha256 the schema's blob, or null
     * @param format the format name
     * @param fileName the file's name, or null
     */
    public StoredVersion {
        Objects.requireNonNull(version, "version");
        Sha256.requireValid(blobSha256);
        Objects.requireNonNull(format, "format");
        if (schemaSha256 != null) {
            Sha256.requireValid(schemaSha256);
        }
        if (version.isDataset() == (schemaSha256 == null)) {
            throw new IllegalArgumentException("a dataset version needs a schema blob and a file version none");
        }
    }
}
