package io.mlops.core.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Flushes a file being written to disk every {@value #EVERY_MB} MB on another thread, at most one
 * flush at a time, so that the disk works while the writer goes on: little is left for the final
 * fsync, and the writer never waits for the disk (a writer that waited held the digest up behind
 * it: a 200 MB put ran at about half the rate {@code dd conv=fdatasync} writes). A failed flush is
 * thrown by the next {@link #wrote} or by {@link #await}. For one writing thread.
 */
final class BackgroundFlush {

    static final int EVERY_MB = 32;
    private static final long EVERY = (long) EVERY_MB << 20;
    private static final ExecutorService FLUSHERS = io.mlops.core.internal.concurrent.SharedThreads.unbounded("mlops-blob-flusher");

    private final FileChannel channel;
    private long sinceFlush;
    private Future<?> flushing;

    BackgroundFlush(FileChannel channel) {
        this.channel = channel;
    }

    /** Counts bytes written; starts a flush every {@value #EVERY_MB} MB unless one is under way. */
    void wrote(long bytes) throws IOException {
        sinceFlush += bytes;
        if (sinceFlush < EVERY) {
            return;
        }
        sinceFlush = 0;
        if (flushing == null || flushing.isDone()) { // else the next interval's will
            await();
            flushing = FLUSHERS.submit(() -> {
                channel.force(false);
                return null;
            });
        }
    }

    /** Waits for the flush under way, if any; its failure is thrown as it was. */
    void await() throws IOException {
        Future<?> f = flushing;
        if (f == null) {
            return;
        }
        flushing = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing a blob to disk");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("flushing a blob failed: " + e.getCause(), e.getCause());
        }
    }
}
