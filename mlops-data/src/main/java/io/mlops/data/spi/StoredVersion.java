package io.mlops.data.spi;

import io.mlops.core.internal.io.Sha256;
import io.mlops.data.DatasetVersion;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link DatasetStore} keeps per version: the public record and where its bytes are.
 *
 * @param version the version
 * @param blobSha256 the blob holding the stored bytes (the rendering of a dataset, or the file)
 * @param schemaSha256 the blob holding the schema sidecar of a dataset; {@code null} for a file
 * @param format the {@link DatasetFormat#name()} of a dataset, or {@code file}
 * @param fileName the committed file's name for a file version, the folder's for a folder version;
 *        {@code null} for a dataset
 * @param parts the files of a folder version (its blob holds their list); empty otherwise
 * @since 0.1.0
 */
public record StoredVersion(DatasetVersion version, String blobSha256, String schemaSha256, String format,
                            String fileName, List<Part> parts) {

    /** The {@link #format()} of file versions. */
    public static final String FILE = "file";

    /** The {@link #format()} of folder versions: many files (such as a table's Parquet part files) as one version. */
    public static final String FILES = "files";

    /**
     * One file of a folder version.
     *
     * @param path its path inside the folder, with {@code /} between names
     * @param sha256 the blob holding its bytes
     * @param size its size in bytes
     */
    public record Part(String path, String sha256, long size) {

        /**
         * Validates the components.
         *
         * @param path the relative path
         * @param sha256 the blob
         * @param size the size
         */
        public Part {
            Objects.requireNonNull(path, "path");
            Sha256.requireValid(sha256);
            if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")
                    || java.util.Arrays.asList(path.split("/")).stream().anyMatch(n -> n.isEmpty() || n.equals(".") || n.equals(".."))) {
                throw new IllegalArgumentException("not a relative path inside a folder: '" + path + "'");
            }
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0 but was " + size);
            }
        }
    }

    /**
     * A dataset or single-file version.
     *
     * @param version the version
     * @param blobSha256 the bytes' blob
     * @param schemaSha256 the schema's blob, or null
     * @param format the format name
     * @param fileName the file's name, or null
     */
    public StoredVersion(DatasetVersion version, String blobSha256, String schemaSha256, String format, String fileName) {
        this(version, blobSha256, schemaSha256, format, fileName, List.of());
    }

    /**
     * Validates the components.
     *
     * @param version the version
     * @param blobSha256 the bytes' blob
     * @param schemaSha256 the schema's blob, or null
     * @param format the format name
     * @param fileName the file's name, or null
     * @param parts the files of a folder version, or empty
     */
    public StoredVersion {
        Objects.requireNonNull(version, "version");
        Sha256.requireValid(blobSha256);
        Objects.requireNonNull(format, "format");
        if (schemaSha256 != null) {
            Sha256.requireValid(schemaSha256);
        }
        parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
        if (format.equals(FILES)) {
            if (schemaSha256 != null || parts.isEmpty()) {
                throw new IllegalArgumentException("a folder version needs its parts and no schema blob");
            }
        } else if (!parts.isEmpty()) {
            throw new IllegalArgumentException("only a folder version has parts");
        } else if (version.isDataset() == (schemaSha256 == null)) {
            throw new IllegalArgumentException("a dataset version needs a schema blob and a file version none");
        }
    }

    /**
     * @return whether this is a folder version
     */
    public boolean isFolder() {
        return format.equals(FILES);
    }

    /**
     * Tells whether this version keeps its bytes (or a part of them) in a blob.
     *
     * @param sha256 a blob
     * @return whether it is this version's bytes, schema, or one of its parts
     */
    public boolean references(String sha256) {
        return sha256.equals(blobSha256) || sha256.equals(schemaSha256) || parts.stream().anyMatch(p -> p.sha256().equals(sha256));
    }
}
