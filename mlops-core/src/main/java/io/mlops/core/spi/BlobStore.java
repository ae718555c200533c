package io.mlops.core.spi;

import io.mlops.core.internal.FileSystemBlobStore;
import io.mlops.core.internal.InMemoryBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Content-addressed storage of immutable byte streams, the extension point behind model artifacts
 * and dataset bytes.
 *
 * <p>A blob is identified by the SHA-256 of its bytes, written as 64 lower-case hex digits.
 * Putting the same bytes twice stores them once and returns the same {@link BlobRef}.
 *
 * <p><b>Contract for implementations</b> (checked by the compatibility kit
 * {@code io.mlops.test.BlobStoreContract} in the {@code mlops-test} artifact, which every backend's test
 * extends):
 * <ul>
 *   <li>{@link #put} streams: it never holds the whole content in memory (the in-memory store
 *       excepted, by its nature). A blob becomes visible to {@link #exists} and {@link #open} only
 *       once it is complete and durable; a put that fails or whose process dies leaves nothing
 *       visible.</li>
 *   <li>{@link #open} verifies the digest while the caller reads and throws
 *       {@link io.mlops.core.IntegrityException} at the end of the stream at the latest when the
 *       stored bytes do not match; it throws {@link io.mlops.core.NotFoundException} for an unknown
 *       digest.</li>
 *   <li>Every method is safe to call from many threads at once, including puts of the same
 *       content; the file-system store is also safe across processes sharing one root.</li>
 *   <li>A digest argument that is not 64 lower-case hex digits is rejected with
 *       {@link io.mlops.core.ValidationException} before any storage is touched.</li>
 * </ul>
 *
 * <p>{@link #delete} is not coordinated with a concurrent {@link #put} of the same content: a caller
 * that deletes blobs (a registry collecting unreferenced artifacts) must serialise the decision
 * with its own lock.
 *
 * @since 0.1.0
 */
public interface BlobStore {

    /**
     * Stores a stream's bytes, reading it to its end. The caller keeps ownership of the stream and
     * closes it.
     *
     * @param content the bytes to store
     * @return the digest and size of what was stored
     * @throws IOException when reading the stream or writing the store fails; nothing is then visible
     */
    BlobRef put(InputStream content) throws IOException;

    /**
     * Stores a stream's bytes for a caller that fsyncs a commit record naming the blob right
     * afterwards, in {@code commitFile}: the blob's bytes are durable when this returns, and a store
     * may leave the durability of the blob's <em>name</em> to that later fsync when it covers it
     * (the file-system store on the same file system as {@code commitFile}, whose journal commits
     * the rename before the later write). This saves the registry one fsync per registration. A
     * crash before the commit record can lose the blob, which nothing references then.
     *
     * <p>The default implementation is {@link #put(InputStream)}.
     *
     * @param content the bytes to store
     * @param commitFile the file the caller fsyncs next
     * @return the digest and size of what was stored
     * @throws IOException when reading the stream or writing the store fails; nothing is then visible
     */
    default BlobRef put(InputStream content, Path commitFile) throws IOException {
        java.util.Objects.requireNonNull(commitFile, "commitFile");
        return put(content);
    }

    /**
     * Stores the bytes a callback writes, without the caller needing a stream to read from: for
     * content produced on the fly (a CSV rendering of a dataset), streamed into the store as it is
     * written. Same guarantees as {@link #put}: nothing is visible unless the callback returns
     * normally and the blob is durable.
     *
     * <p>The default implementation spools to a temp file and then calls {@link #put}; the built-in
     * stores write straight into the store.
     *
     * @param content writes the whole content to the stream it is given; must not close it
     * @return the digest and size of what was stored
     * @throws IOException when the callback or the store fails; nothing is then visible
     */
    default BlobRef write(io.mlops.core.spi.IoConsumer<java.io.OutputStream> content) throws IOException {
        java.util.Objects.requireNonNull(content, "content");
        Path temp = java.nio.file.Files.createTempFile("mlops-blob-", ".tmp");
        try {
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(temp))) {
                content.accept(io.mlops.core.internal.io.Streams.nonClosing(out));
            }
            try (InputStream in = java.nio.file.Files.newInputStream(temp)) {
                return put(in);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(temp);
        }
    }

    /**
     * Opens a blob for reading, verifying its SHA-256 as it is read.
     *
     * @param sha256 the blob's digest
     * @return a stream of the blob's bytes; the caller closes it
     * @throws io.mlops.core.NotFoundException when no blob has that digest
     * @throws io.mlops.core.ValidationException when the digest is malformed
     * @throws IOException when the store cannot be read
     */
    InputStream open(String sha256) throws IOException;

    /**
     * Tells whether a blob is stored.
     *
     * @param sha256 the blob's digest
     * @return {@code true} when a complete blob with that digest is stored
     * @throws io.mlops.core.ValidationException when the digest is malformed
     * @throws IOException when the store cannot be read
     */
    boolean exists(String sha256) throws IOException;

    /**
     * Returns a blob's size without reading it.
     *
     * @param sha256 the blob's digest
     * @return the size in bytes, or empty when no blob has that digest
     * @throws io.mlops.core.ValidationException when the digest is malformed
     * @throws IOException when the store cannot be read
     */
    OptionalLong size(String sha256) throws IOException;

    /**
     * Removes a blob.
     *
     * @param sha256 the blob's digest
     * @return {@code true} when a blob was removed, {@code false} when there was none
     * @throws io.mlops.core.ValidationException when the digest is malformed
     * @throws IOException when the store cannot be written
     */
    boolean delete(String sha256) throws IOException;

    /**
     * The embedded default: blobs as files under {@code root}, in fan-out folders
     * ({@code objects/ab/abcdef…}), written to a temp file, fsync'd and atomically renamed.
     * Stale temp files of killed writers are removed when a store is opened.
     *
     * @param root the store's folder, created when missing
     * @return the store
     * @throws io.mlops.core.StorageException when the folder cannot be created
     */
    static BlobStore fileSystem(Path root) {
        return new FileSystemBlobStore(root);
    }

    /**
     * A store that keeps blobs in this JVM's heap, for tests and short-lived work.
     *
     * @return a new, empty store
     */
    static BlobStore inMemory() {
        return new InMemoryBlobStore();
    }
}
