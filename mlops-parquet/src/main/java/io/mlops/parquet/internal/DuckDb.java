package io.mlops.parquet.internal;

import io.mlops.core.StorageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One embedded DuckDB database for one piece of work, in a temporary folder of its own that
 * {@link #close} removes (its tables and sorts go to disk beyond the engine's memory cap): no
 * extension is installed or loaded from the network. Not thread-safe; open one per call.
 */
final class DuckDb implements AutoCloseable {

    /** The engine's memory cap (beyond it, sorts and joins spill to disk). */
    static final String MEMORY_LIMIT = System.getProperty("mlops.duckdb.memoryLimit", "1GB");

    /** Checks every running engine's owner for an interrupt, and logs long work. */
    private static final java.util.concurrent.ScheduledExecutorService WATCHER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mlops-duckdb-watcher");
                t.setDaemon(true);
                return t;
            });
    private static final long WATCH_MILLIS = 200;
    private static final long LOG_EVERY_MILLIS = 10_000;

    private final Connection connection;
    private final Path spill;
    private final Thread owner = Thread.currentThread();
    private final java.util.List<Statement> statements = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long started = System.nanoTime();
    private volatile String work = "work";
    private long logged;
    private java.util.concurrent.ScheduledFuture<?> watch;

    private DuckDb(Connection connection, Path spill) {
        this.connection = connection;
        this.spill = spill;
    }

    /**
     * A statement whose work stops when the thread that opened this engine is interrupted.
     *
     * @param what the work, for the progress log ("comparing rows of a and b")
     */
    Statement statement(String what) throws SQLException {
        this.work = what;
        Statement s = connection.createStatement();
        statements.add(s);
        return s;
    }

    /** Whether the thread that opened this engine was interrupted (its statements were then cancelled). */
    boolean interrupted() {
        return owner.isInterrupted();
    }

    private void check() {
        if (owner.isInterrupted()) {
            for (Statement s : statements) {
                try {
                    s.cancel();
                } catch (SQLException | RuntimeException e) {
                    // closed meanwhile
                }
            }
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis - logged >= LOG_EVERY_MILLIS) {
            logged = millis;
            org.slf4j.LoggerFactory.getLogger(DuckDb.class).info("Still {} after {} s", work, millis / 1000);
        }
    }

    static DuckDb open() {
        Path spill = null;
        try {
            spill = Files.createTempDirectory("mlops-duckdb-");
            // a database file in the temporary folder, not memory: tables beyond the memory cap live on disk
            // results streamed as the engine makes them, not materialised first (one open result per connection)
            java.util.Properties options = new java.util.Properties();
            options.setProperty("jdbc_stream_results", "true");
            Connection c = DriverManager.getConnection("jdbc:duckdb:" + spill.resolve("work.duckdb"), options);
            try (Statement s = c.createStatement()) {
                s.execute("SET autoinstall_known_extensions = false");
                s.execute("SET autoload_known_extensions = false");
                s.execute("SET memory_limit = '" + MEMORY_LIMIT.replace("'", "") + "'");
                s.execute("SET temp_directory = '" + literal(spill.toString()) + "'");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            DuckDb db = new DuckDb(c, spill);
            db.watch = WATCHER.scheduleWithFixedDelay(db::check, WATCH_MILLIS, WATCH_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            return db;
        } catch (IOException | SQLException e) {
            deleteQuietly(spill);
            throw new StorageException("Cannot start the embedded DuckDB engine: " + e.getMessage(), e);
        } catch (ExceptionInInitializerError | NoClassDefFoundError | UnsatisfiedLinkError e) {
            // the driver unpacks its native library (about 72 MB on Linux x86-64) into java.io.tmpdir when
            // first used; when that fails, its class is unusable for the life of the process
            deleteQuietly(spill);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StorageException("Cannot start the embedded DuckDB engine: its native library could not be unpacked into"
                    + " java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ", about 72 MB needed) or loaded: " + cause
                    + ". Free space there or point -Djava.io.tmpdir elsewhere, then restart the process", cause);
        }
    }

    Connection connection() {
        return connection;
    }

    /** A failed statement's message on one line, without the engine's tuning advice. */
    static String oneLine(SQLException e) {
        String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
        int hints = message.indexOf(" Possible solutions:");
        return hints > 0 ? message.substring(0, hints) : message;
    }

    /**
     * Describes a failed statement for people: one line, and when the engine ran out of memory or
     * disk, what it had of each (it reports a spill that found no room as running out of memory).
     */
    String describe(SQLException e) {
        String message = oneLine(e);
        if (message.contains("Out of Memory") || message.contains("No space left")) {
            long free = -1;
            try {
                free = Files.getFileStore(spill.getParent()).getUsableSpace() >> 20; // the spill folder may be gone
            } catch (IOException ignored) {
                // the message without it
            }
            message += " (the engine may use " + MEMORY_LIMIT + " of memory, -Dmlops.duckdb.memoryLimit, and spills beyond it"
                    + " into " + spill.getParent() + ", where " + free + " MB are free: give it more of either)";
        }
        return message;
    }

    /** A text as the body of a SQL string literal: quotes doubled. */
    static String literal(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character in '" + text.replace('\0', '?') + "'");
        }
        return text.replace("'", "''");
    }

    /** A name as a SQL identifier: double-quoted, quotes doubled. */
    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.cancel(false);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing was written through it that closing could lose
        } finally {
            deleteQuietly(spill);
        }
    }

    static void deleteQuietly(Path dir) {
        io.mlops.core.internal.io.TempFolders.deleteQuietly(dir);
    }
}
