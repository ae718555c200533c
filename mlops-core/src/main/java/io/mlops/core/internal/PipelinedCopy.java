package io.mlops.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies a stream into a file while digesting it, with the digest on the calling thread, the
 * writes on a helper thread and a flush to disk every {@value #FLUSH_EVERY_MB} MB on a third, so
 * that hashing, writing and the disk's own work overlap: a writer that waited for its own flushes
 * held the digest up behind them (a 200 MB put ran at about half the rate {@code dd conv=fdatasync}
 * writes). Small inputs (one chunk) are copied inline without a helper.
 */
final class PipelinedCopy {

    static final int CHUNK = 1 << 20;
    private static final int BUFFERS = 8;
    private static final int FLUSH_EVERY_MB = 32;
    /** Flushing as we go leaves little for the final fsync, so that the disk works while we hash. */
    private static final long FLUSH_EVERY = (long) FLUSH_EVERY_MB << 20;

    private static final ExecutorService WRITERS = io.mlops.core.internal.concurrent.SharedThreads.unbounded("mlops-blob-writer");
    private static final ExecutorService FLUSHERS = io.mlops.core.internal.concurrent.SharedThreads.unbounded("mlops-blob-flusher");

    private PipelinedCopy() {
    }

    static long copy(InputStream in, FileChannel out, MessageDigest digest) throws IOException {
        byte[] first = new byte[CHUNK];
        int n = in.readNBytes(first, 0, CHUNK);
        if (n < CHUNK) {
            digest.update(first, 0, n);
            writeFully(out, ByteBuffer.wrap(first, 0, n));
            return n;
        }
        return pipelined(in, out, digest, first);
    }

    private static long pipelined(InputStream in, FileChannel out, MessageDigest digest, byte[] first)
            throws IOException {
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
        BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
        for (int i = 1; i < BUFFERS; i++) {
            free.add(new byte[CHUNK]);
        }
        Future<?> writer = WRITERS.submit(() -> {
            long sinceFlush = 0;
            Future<?> flushing = null; // at most one flush under way; the writer never waits for it
            while (true) {
                Chunk c = full.take();
                if (c.length < 0) {
                    awaitFlush(flushing); // its failure is the copy's
                    return null;
                }
                writeFully(out, ByteBuffer.wrap(c.data, 0, c.length));
                sinceFlush += c.length;
                if (sinceFlush >= FLUSH_EVERY) {
                    sinceFlush = 0;
                    if (flushing == null || flushing.isDone()) { // else the next one will
                        awaitFlush(flushing);
                        flushing = FLUSHERS.submit(() -> {
                            out.force(false);
                            return null;
                        });
                    }
                }
                free.put(c.data);
            }
        });
        long total = 0;
        boolean done = false;
        try {
            byte[] buf = first;
            int n = CHUNK;
            while (true) {
                full.put(new Chunk(buf, n));
                // the writer reads the same bytes meanwhile; neither side changes them
                digest.update(buf, 0, n);
                total += n;
                if (n < CHUNK) {
                    break;
                }
                buf = takeFree(free, writer);
                n = in.readNBytes(buf, 0, CHUNK);
                if (n == 0) {
                    break;
                }
            }
            full.put(Chunk.END);
            done = true;
            writer.get();
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while storing a blob");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException("writing a blob failed: " + cause, cause);
        } finally {
            if (!done) {
                writer.cancel(true);
            }
        }
    }

    /** Waits for a flush; its failure is thrown as it was (an IOException). */
    private static void awaitFlush(Future<?> flushing) throws IOException, InterruptedException {
        if (flushing == null) {
            return;
        }
        try {
            flushing.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("flushing a blob failed: " + e.getCause(), e.getCause());
        }
    }

    private static byte[] takeFree(BlockingQueue<byte[]> free, Future<?> writer)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        while (true) {
            byte[] b = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (b != null) {
                return b;
            }
            if (writer.isDone()) {
                writer.get(); // throws the writer's failure
                throw new IllegalStateException("blob writer stopped early");
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static final class Chunk {
        static final Chunk END = new Chunk(null, -1);
        final byte[] data;
        final int length;

        Chunk(byte[] data, int length) {
            this.data = data;
            this.length = length;
        }
    }
}
