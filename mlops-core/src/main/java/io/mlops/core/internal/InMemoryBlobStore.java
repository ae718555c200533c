package io.mlops.core.internal;

import io.mlops.core.NotFoundException;
import io.mlops.core.internal.io.Sha256;
import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link BlobStore} in the heap; thread-safe. */
public final class InMemoryBlobStore implements BlobStore {

    private final ConcurrentHashMap<String, byte[]> blobs = new ConcurrentHashMap<>();

    @Override
    public BlobRef put(InputStream content) throws IOException {
        Objects.requireNonNull(content, "content");
        byte[] bytes = content.readAllBytes();
        String sha = Sha256.hex(bytes);
        blobs.put(sha, bytes); // replaces a damaged copy of the same content
        return new BlobRef(sha, bytes.length);
    }

    @Override
    public BlobRef write(io.mlops.core.spi.IoConsumer<java.io.OutputStream> content) throws IOException {
        Objects.requireNonNull(content, "content");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        content.accept(out);
        return put(new ByteArrayInputStream(out.toByteArray()));
    }

    @Override
    public InputStream open(String sha256) {
        byte[] bytes = blobs.get(Sha256.requireValid(sha256));
        if (bytes == null) {
            throw new NotFoundException("Blob " + sha256 + " not found in the in-memory store");
        }
        return io.mlops.core.internal.io.Streams.verifying(new ByteArrayInputStream(bytes), sha256, "blob " + sha256);
    }

    @Override
    public boolean exists(String sha256) {
        return blobs.containsKey(Sha256.requireValid(sha256));
    }

    @Override
    public OptionalLong size(String sha256) {
        byte[] bytes = blobs.get(Sha256.requireValid(sha256));
        return bytes == null ? OptionalLong.empty() : OptionalLong.of(bytes.length);
    }

    @Override
    public boolean delete(String sha256) {
        return blobs.remove(Sha256.requireValid(sha256)) != null;
    }

    /** The live stored array, for tests that simulate corruption. */
    byte[] storedBytes(String sha256) {
        return blobs.get(sha256);
    }

    /** The number of stored blobs, for tests. */
    long blobCount() {
        return blobs.size();
    }

    @Override
    public String toString() {
        return "InMemoryBlobStore[" + blobs.size() + " blobs]";
    }
}
