package io.mlops.parquet;

/**
 * How the pages of a Parquet file written here are compressed.
 *
 * @since 0.1.0
 */
public enum Compression {
    /** Zstandard: the smaller files; the default. */
    ZSTD,
    /** Snappy: faster to write, larger; what older readers expect. */
    SNAPPY,
    /** No compression. */
    UNCOMPRESSED
}
