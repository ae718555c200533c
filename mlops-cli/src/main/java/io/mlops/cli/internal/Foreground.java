package io.mlops.cli.internal;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/** Runs a started service in the foreground: says where it is, waits until stopped, closes what it holds. */
final class Foreground {

    private Foreground() {
    }

    /**
     * Prints the message, waits until the process is stopped or the thread interrupted, then closes
     * the resources in order (nulls skipped).
     *
     * @return {@link ExitCodes#OK}
     */
    static int untilStopped(PrintWriter out, String message, AutoCloseable... resources) throws Exception {
        Thread worker = Thread.currentThread();
        CountDownLatch closed = new CountDownLatch(1);
        // SIGTERM or Ctrl-C: interrupt the wait and let the resources close (a monitor flushes what it holds)
        Thread hook = new Thread(() -> {
            worker.interrupt();
            try {
                closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mlops-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println(message);
            out.flush();
            new CountDownLatch(1).await();
        } catch (InterruptedException stopped) {
            // stopping is what was asked: the flag is not set again, or closing the server and the
            // console below (which wait for requests and threads) would be cut short and log it
        } finally {
            try {
                for (AutoCloseable r : resources) {
                    if (r != null) {
                        r.close();
                    }
                }
            } finally {
                closed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what stopped us
                }
            }
        }
        return ExitCodes.OK;
    }
}
