package io.mlops.s3.internal;

import io.mlops.core.internal.concurrent.SharedThreads;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;


import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * A file uploaded to one key by a multipart upload: up to four parts in flight, each read into its
 * own buffer (so memory is four parts, whatever the size), and the completion as the commit point.
 * A failure aborts the upload, so that no parts are left behind; a process killed meanwhile leaves
 * an incomplete upload that {@link #abortStale} removes later.
 */
final class MultipartUpload {

    private static final int IN_FLIGHT = 4;
    private static final int MAX_PARTS = 10_000;
    private static final ExecutorService UPLOADERS = SharedThreads.unbounded("mlops-s3-upload");

    private final S3Client s3;
    private final String bucket;
    private final long partSize;

    MultipartUpload(S3Client s3, String bucket, long partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    void upload(String key, Path file, long size) throws IOException {
        // S3 allows 10,000 parts: larger files get larger parts, in whole MiB
        long part = Math.max(partSize, ((size + MAX_PARTS - 1) / MAX_PARTS + (1 << 20) - 1) >> 20 << 20);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        boolean completed = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int parts = (int) ((size + part - 1) / part);
            List<Future<CompletedPart>> futures = new ArrayList<>(parts);
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            for (int i = 0; i < parts; i++) {
                int number = i + 1;
                long offset = i * part;
                int length = (int) Math.min(part, size - offset);
                inFlight.acquire();
                byte[] buffer = new byte[length];
                read(channel, buffer, offset);
                futures.add(UPLOADERS.submit(() -> {
                    try {
                        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                                .contentLength((long) length), RequestBody.fromInputStream(new ByteArrayInputStream(buffer), length))
                                .eTag();
                        return CompletedPart.builder().partNumber(number).eTag(etag).build();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            List<CompletedPart> done = new ArrayList<>(parts);
            for (Future<CompletedPart> f : futures) {
                done.add(f.get());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
            completed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SdkException sdk) {
                throw sdk;
            }
            throw new IOException("uploading a part of " + key + " failed: " + cause, cause);
        } finally {
            if (!completed) {
                abort(key, uploadId);
            }
        }
    }

    private static void read(FileChannel channel, byte[] buffer, long offset) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                throw new IOException("the spooled file ended early");
            }
        }
    }

    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            S3Blobs.log().warn("Could not abort the multipart upload {} of {}: {}", uploadId, key, e.toString());
        }
    }

    /** Aborts incomplete uploads under a prefix that started over a day ago (writers that died). */
    void abortStale(String prefix, String where) {
        Instant cutoff = Instant.now().minus(Duration.ofDays(1));
        try {
            for (software.amazon.awssdk.services.s3.model.MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads()) {
                if (u.initiated() != null && u.initiated().isBefore(cutoff)) {
                    abort(u.key(), u.uploadId());
                    S3Blobs.log().info("Aborted the incomplete upload of {} started {} in {}", u.key(), u.initiated(), where);
                }
            }
        } catch (SdkException e) {
            S3Blobs.log().warn("Could not list incomplete uploads in {}: {}", where, e.toString());
        }
    }
}
