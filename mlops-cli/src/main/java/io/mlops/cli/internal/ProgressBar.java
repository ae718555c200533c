package io.mlops.cli.internal;

import io.mlops.core.ProgressListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on standard error: {@code reading train.csv [#########-----------] 45% 120.3 of 266.0 MB}
 * for work counted in bytes, {@code comparing rows [#########-----------] 45%} for work counted in
 * steps, redrawn in place at most every 200 ms, finished with a new line at 100%.
 */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String label;
    private final boolean bytes;
    private long lastDraw;
    private boolean finished;

    ProgressBar(PrintWriter err, String label, boolean bytes) {
        this.err = err;
        this.label = label;
        this.bytes = bytes;
    }

    @Override
    public void progress(long done, long total) {
        long now = System.nanoTime();
        boolean end = total >= 0 && done >= total;
        if (finished && !end) {
            finished = false; // a second pass
        }
        if (finished || !end && now - lastDraw < 200_000_000L && lastDraw != 0) {
            return;
        }
        lastDraw = now;
        double share = total <= 0 ? 1 : Math.min(1, done / (double) total);
        int filled = (int) Math.round(share * WIDTH);
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3.0f%%", label, "#".repeat(filled), "-".repeat(WIDTH - filled),
                share * 100));
        if (bytes) {
            err.print(String.format(Locale.ROOT, " %.1f of %.1f MB", done / 1e6, Math.max(total, done) / 1e6));
        }
        if (end) {
            err.println();
            finished = true;
        }
        err.flush();
    }

    /**
     * Returns a bar for the work, or a listener that shows nothing: bars show when asked for
     * ({@code --progress}) or, unless refused ({@code --no-progress}), when standard error is a
     * terminal and the work is over 8 MB.
     */
    static ProgressListener forWork(Boolean wanted, PrintWriter err, String label, long bytes) {
        boolean show = wanted != null ? wanted : System.console() != null && bytes > 8_000_000L;
        return show ? new ProgressBar(err, label, true) : ProgressListener.NONE;
    }

    /**
     * Returns a bar for work counted in steps (a row comparison's hundredths) over data of the
     * given size, shown as {@link #forWork} decides for that many bytes.
     */
    static ProgressListener forSteps(Boolean wanted, PrintWriter err, String label, long dataBytes) {
        boolean show = wanted != null ? wanted : System.console() != null && dataBytes > 8_000_000L;
        return show ? new ProgressBar(err, label, false) : ProgressListener.NONE;
    }
}
