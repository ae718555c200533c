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
 * writes on a helper thread and the flushes to disk on a third ({@link BackgroundFlush}), so that
 * hashing, writing and the disk's own work overlap. Small inputs (one chunk) are copied inline
 * without a helper.
 */
final class PipelinedCopy {

    static final int CHUNK = 1 << 20;
    private static final int BUFFERS = 8;

    private static final ExecutorService WRITERS = io.mlops.core.internal.concurrent.SharedThreads.unbounded("mlops-blob-writer");

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
            BackgroundFlush flushes = new BackgroundFlush(out);
            while (true) {
                Chunk c = full.take();
                if (c.length < 0) {
                    flushes.await(); // its failure is the copy's
                    return null;
                }
                writeFully(out, ByteBuffer.wrap(c.data, 0, c.length));
                flushes.wrote(c.length);
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
