package io.mlops.core.internal.io;

import io.mlops.core.ProgressListener;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Counts the bytes read through it and tells a {@link ProgressListener} every 1 MiB and at the end
 * of the stream. Not thread-safe (as streams are not).
 *
 * @since 0.1.0
 */
public final class ProgressInputStream extends FilterInputStream {

    static final long EVERY = 1 << 20;

    private final long total;
    private final ProgressListener listener;
    private long done;
    private long reported;
    private boolean ended;

    /**
     * Wraps a stream.
     *
     * @param in the stream
     * @param total its length, or -1 when unknown
     * @param listener told of the progress
     */
    public ProgressInputStream(InputStream in, long total, ProgressListener listener) {
        super(Objects.requireNonNull(in, "in"));
        this.total = total;
        this.listener = Objects.requireNonNull(listener, "listener");
        listener.progress(0, total);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        count(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) {
        if (n < 0) {
            if (!ended) {
                ended = true;
                listener.progress(done, total < 0 ? done : total);
            }
            return;
        }
        done += n;
        if (done - reported >= EVERY) {
            reported = done;
            listener.progress(done, total);
        }
    }
}
