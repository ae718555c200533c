package io.mlops.s3.internal;

import io.mlops.core.NotFoundException;
import io.mlops.core.internal.io.Sha256;
import io.mlops.core.StorageException;
import io.mlops.core.spi.IoConsumer;
import io.mlops.core.internal.io.Streams;
import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The S3 {@link BlobStore} ({@code io.mlops.s3.S3BlobStore} documents the behaviour). Objects are
 * {@code PREFIX objects/ab/<sha256>}; content up to 1 MiB goes up in one request from memory, larger
 * content is spooled to a local temp file while it is hashed and then uploaded to its key, in one
 * request streamed from the file up to the multipart threshold, else by {@link MultipartUpload}.
 * Thread-safe.
 */
public final class S3Blobs implements BlobStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3Blobs.class);
    /** Content up to this size is uploaded from memory; larger content is spooled first. */
    private static final int IN_MEMORY = 1 << 20;

    /**
     * The builder's settings.
     *
     * @param endpoint the service URI, or null for AWS
     * @param region the region
     * @param bucket the bucket
     * @param prefix the key prefix, empty or ending in {@code /}
     * @param accessKey static credentials' key id, or null for the default provider chain
     * @param secretKey static credentials' secret, or null
     * @param pathStyle whether to address buckets by path
     * @param partSize the multipart part size
     * @param multipartThreshold the largest content uploaded in one request
     * @param spoolDirectory where large content is spooled
     */
    public record Settings(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey,
                           boolean pathStyle, long partSize, long multipartThreshold, Path spoolDirectory) {

        /** Where the store is, for messages: {@code s3://bucket/prefix at endpoint}. */
        String where() {
            return "s3://" + bucket + "/" + prefix + " at " + (endpoint == null ? "AWS " + region : endpoint);
        }
    }

    private final Settings settings;
    private final S3Client s3;
    private final MultipartUpload multipart;

    private S3Blobs(Settings settings, S3Client s3) {
        this.settings = settings;
        this.s3 = s3;
        this.multipart = new MultipartUpload(s3, settings.bucket(), settings.partSize());
    }

    /**
     * Connects and checks the bucket; used by {@code S3BlobStore.Builder.build()}.
     *
     * @param settings the settings
     * @return the store
     * @throws StorageException when the endpoint, the bucket or the credentials fail
     */
    public static S3Blobs open(Settings settings) {
        S3Client client = Clients.create(settings);
        try {
            Clients.checkBucket(client, settings);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        S3Blobs store = new S3Blobs(settings, client);
        store.multipart.abortStale(settings.prefix() + "objects/", settings.where());
        Spool.removeAbandoned(settings.spoolDirectory());
        return store;
    }

    private String key(String sha256) {
        return settings.prefix() + "objects/" + sha256.substring(0, 2) + "/" + sha256;
    }

    @Override
    public BlobRef put(InputStream content) throws IOException {
        Objects.requireNonNull(content, "content");
        MessageDigest digest = Sha256.newDigest();
        byte[] first = content.readNBytes(IN_MEMORY); // sized to what was read: a small artifact costs little
        int n = first.length;
        if (n < IN_MEMORY) {
            digest.update(first, 0, n);
            String sha = Sha256.hex(digest);
            call("put", sha, () -> s3.putObject(b -> b.bucket(settings.bucket()).key(key(sha)).contentLength((long) n),
                    RequestBody.fromInputStream(new ByteArrayInputStream(first, 0, n), n)));
            return new BlobRef(sha, n);
        }
        return spooled(out -> {
            out.write(first, 0, n);
            content.transferTo(out);
        });
    }

    @Override
    public BlobRef write(IoConsumer<OutputStream> content) throws IOException {
        Objects.requireNonNull(content, "content");
        return spooled(out -> content.accept(Streams.nonClosing(out)));
    }

    /**
     * Spools what the writer writes to a temp file while hashing it, then stores the file. The file
     * is locked while in use, so that {@link Spool#removeAbandoned} (when a store is built) removes
     * only the files of writers that died.
     */
    private BlobRef spooled(IoConsumer<OutputStream> writer) throws IOException {
        Path spool = Files.createTempFile(settings.spoolDirectory(), Spool.PREFIX, Spool.SUFFIX);
        try (FileChannel channel = FileChannel.open(spool, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            MessageDigest digest = Sha256.newDigest();
            OutputStream out = new DigestOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16),
                    digest);
            writer.accept(out);
            out.flush();
            String sha = Sha256.hex(digest);
            long size = Files.size(spool);
            String key = key(sha);
            if (size <= settings.multipartThreshold()) {
                call("put", sha, () -> s3.putObject(b -> b.bucket(settings.bucket()).key(key).contentLength(size),
                        RequestBody.fromFile(spool)));
            } else {
                call("multipart upload", sha, () -> {
                    multipart.upload(key, spool, size);
                    return null;
                });
            }
            lock.release();
            return new BlobRef(sha, size);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        String sha = Sha256.requireValid(sha256);
        InputStream in;
        try {
            in = s3.getObject(b -> b.bucket(settings.bucket()).key(key(sha)));
        } catch (NoSuchKeyException e) {
            throw new NotFoundException("Blob " + sha + " not found in " + settings.where());
        } catch (SdkException e) {
            throw failure("get", sha, e);
        }
        return Streams.verifying(in, sha, "blob " + sha + " in " + settings.where());
    }

    @Override
    public boolean exists(String sha256) throws IOException {
        return head(Sha256.requireValid(sha256)).isPresent();
    }

    @Override
    public OptionalLong size(String sha256) throws IOException {
        Optional<HeadObjectResponse> head = head(Sha256.requireValid(sha256));
        return head.isPresent() ? OptionalLong.of(head.get().contentLength()) : OptionalLong.empty();
    }

    @Override
    public boolean delete(String sha256) throws IOException {
        String sha = Sha256.requireValid(sha256);
        if (head(sha).isEmpty()) {
            return false;
        }
        call("delete", sha, () -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(key(sha))));
        return true;
    }

    private Optional<HeadObjectResponse> head(String sha) throws IOException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(settings.bucket()).key(key(sha))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("head", sha, e);
        } catch (SdkException e) {
            throw failure("head", sha, e);
        }
    }

    /** An S3 call whose SDK failures become IOExceptions naming the store and the blob. */
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T call(String what, String sha, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw failure(what, sha, e);
        }
    }

    private IOException failure(String what, String sha, SdkException e) {
        return new IOException("S3 " + what + " of blob " + sha + " in " + settings.where() + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + settings.where() + "]";
    }

    static Logger log() {
        return LOG;
    }
}
