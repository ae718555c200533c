package io.mlops.core.internal.sql;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Listens on a PostgreSQL channel on a connection of its own, in a daemon thread, and calls back on
 * each batch of notifications. When the connection breaks it reconnects (every second until it
 * succeeds) and calls back once, since notifications sent meanwhile are lost.
 */
final class PgListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
    private static final int WAIT_MS = 250;

    private final DataSource dataSource;
    private final String channel;
    private final Runnable callback;
    private final Thread thread;
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile boolean closed;

    PgListener(DataSource dataSource, String channel, Runnable callback) {
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain channel name: " + channel);
        }
        this.dataSource = dataSource;
        this.channel = channel;
        this.callback = callback;
        this.thread = new Thread(this::run, "mlops-listen-" + channel);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the first LISTEN took effect, so no change committed after this returns is missed. */
    boolean awaitListening(long millis) throws InterruptedException {
        return listening.await(millis, TimeUnit.MILLISECONDS);
    }

    private void run() {
        boolean reconnect = false;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                listening.countDown();
                if (reconnect) {
                    LOG.info("Listening on '{}' again", channel);
                    notifySafely();
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] batch = pg.getNotifications(WAIT_MS);
                    if (batch != null && batch.length > 0) {
                        notifySafely();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!reconnect) {
                    LOG.warn("Lost the PostgreSQL notifications on '{}' ({}); retrying every second, polling meanwhile",
                            channel, e.toString());
                }
                reconnect = true;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void notifySafely() {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("A listener of '{}' failed: {}", channel, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
