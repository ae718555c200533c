package io.mlops.core.internal.sql;

import io.mlops.core.LockTimeoutException;
import io.mlops.core.StorageException;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A database reached through a {@link DataSource}: PostgreSQL or SQLite, told apart by the driver's
 * metadata. Gives the library's JDBC stores three things:
 * <ul>
 *   <li>{@link #read}: a connection per call (pass a pooled {@code DataSource}, such as HikariCP's,
 *       in production), or the calling thread's open {@link #exclusive} transaction;</li>
 *   <li>{@link #exclusive}: one transaction that excludes every other {@code exclusive} section with
 *       the same lock name on the same database (the same schema, for PostgreSQL) in every process
 *       — a transaction-scoped advisory lock on PostgreSQL, an immediate transaction on SQLite;
 *       released by commit or rollback, so a killed process never leaves it held;</li>
 *   <li>{@link #migrate}: versioned schema changes recorded in the table {@value #SCHEMA_TABLE}
 *       (one row per component: its schema version), applied once, in order, under that lock.</li>
 * </ul>
 * Thread-safe. SQL failures become {@link IOException}s naming the database; a lock not obtained
 * within the timeout becomes a {@link LockTimeoutException}.
 *
 * @since 0.1.0
 */
public final class SqlDatabase {

    /** The table of schema versions, one row per component. */
    public static final String SCHEMA_TABLE = "mlops_schema_version";

    /** The SQL dialects spoken. */
    public enum Dialect {
        /** PostgreSQL 12 or later. */
        POSTGRESQL,
        /** SQLite 3.35 or later (sqlite-jdbc). */
        SQLITE
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String where;
    private final Duration lockTimeout;
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

    private SqlDatabase(DataSource dataSource, Dialect dialect, String where, Duration lockTimeout) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.where = where;
        this.lockTimeout = lockTimeout;
    }

    /**
     * Connects once to learn the dialect.
     *
     * @param dataSource connections to PostgreSQL or SQLite
     * @param purpose what the database holds, for messages ("registry")
     * @param lockTimeout how long {@link #exclusive} waits for another writer
     * @return the database
     * @throws StorageException when it cannot be reached, naming where it was looked for
     */
    public static SqlDatabase open(DataSource dataSource, String purpose, Duration lockTimeout) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        String described = describe(dataSource);
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            String url = withoutSecrets(String.valueOf(c.getMetaData().getURL()));
            Dialect dialect;
            if (product.contains("postgres")) {
                dialect = Dialect.POSTGRESQL;
            } else if (product.contains("sqlite")) {
                dialect = Dialect.SQLITE;
            } else {
                throw new StorageException("The " + purpose + " database at " + url + " is " + product
                        + "; supported are PostgreSQL and SQLite");
            }
            return new SqlDatabase(dataSource, dialect, purpose + " database " + url, lockTimeout);
        } catch (SQLException e) {
            throw new StorageException("Cannot reach the " + purpose + " database at " + described + ": " + e.getMessage(), e);
        }
    }

    /** Names a data source by its URL where the usual getters expose one. */
    private static String describe(DataSource ds) {
        for (String getter : List.of("getJdbcUrl", "getUrl", "getURL")) {
            try {
                Object url = ds.getClass().getMethod(getter).invoke(ds);
                if (url != null) {
                    return withoutSecrets(url.toString());
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this getter
            }
        }
        return ds.toString();
    }

    /** A JDBC URL with its password parameter masked, for messages. */
    static String withoutSecrets(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * @return the dialect
     */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Runs work on the calling thread's open {@link #exclusive} transaction, or on a connection of
     * its own in autocommit mode.
     *
     * @param work the work
     * @param <T> its result type
     * @return its result
     * @throws IOException when a statement fails
     */
    public <T> T read(SqlWork<T> work) throws IOException {
        Connection open = transaction.get();
        try {
            if (open != null) {
                return work.run(open);
            }
            try (Connection c = connection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Tells whether the calling thread is inside an {@link #exclusive} section of this database.
     *
     * @return whether the calling thread is inside an {@link #exclusive} section of this database
     */
    public boolean inTransaction() {
        return transaction.get() != null;
    }

    /**
     * Runs work in one transaction that excludes every other section with the same lock name on
     * this database, in every process; commits when the work returns, rolls back when it throws.
     * Re-entrant: a nested call on the same thread joins the open transaction.
     *
     * @param lock the lock's name, such as {@code registry}
     * @param work the work
     * @param <T> its result type
     * @return its result
     * @throws IOException when a statement fails (nothing of the work is then committed)
     * @throws LockTimeoutException when another writer holds the lock beyond the timeout
     */
    public <T> T exclusive(String lock, SqlWork<T> work) throws IOException {
        return inTransaction(Objects.requireNonNull(lock, "lock"), work);
    }

    /**
     * Runs work in one transaction that takes no lock beyond the rows it writes (concurrent
     * writers of different rows proceed side by side on PostgreSQL; SQLite has one writer at a
     * time anyway); commits when the work returns, rolls back when it throws. A nested call on the
     * same thread joins the open transaction.
     *
     * @param work the work
     * @param <T> its result type
     * @return its result
     * @throws IOException when a statement fails (nothing of the work is then committed)
     */
    public <T> T transaction(SqlWork<T> work) throws IOException {
        return inTransaction(null, work);
    }

    private <T> T inTransaction(String lock, SqlWork<T> work) throws IOException {
        Connection open = transaction.get();
        if (open != null) {
            try {
                return work.run(open);
            } catch (SQLException e) {
                throw failure(e);
            }
        }
        try (Connection c = connection()) {
            begin(c, lock);
            transaction.set(c);
            try {
                T result = work.run(c);
                commit(c);
                return result;
            } catch (SQLException | IOException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            } finally {
                transaction.remove();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private Connection connection() throws SQLException {
        Connection c = dataSource.getConnection();
        if (dialect == Dialect.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + lockTimeout.toMillis());
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private void begin(Connection c, String lock) throws SQLException { // lock: null for none
        if (dialect == Dialect.SQLITE) {
            // The driver stays in autocommit mode; BEGIN IMMEDIATE takes the database's write lock
            // now (waiting up to busy_timeout) instead of at the first write.
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            return;
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
        }
        if (lock != null) {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext(?))")) {
                p.setString(1, lock);
                p.execute();
            }
        }
    }

    private void commit(Connection c) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
        } else {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private void rollback(Connection c, Throwable cause) {
        try {
            if (dialect == Dialect.SQLITE) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
            } else {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // SQLite ends a transaction by itself on some errors; then there is nothing to roll back
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * Brings a component's tables to the newest schema version: applies, in one
     * {@link #exclusive} transaction, the steps after the version recorded in
     * {@value #SCHEMA_TABLE} and records the new one. Step {@code i} (from 0) takes the schema from
     * version {@code i} to {@code i + 1}.
     *
     * @param component the component, such as {@code registry}
     * @param steps the statements of each step, oldest first
     * @return the version found before, 0 for none
     * @throws IOException when a statement fails (nothing is then changed)
     * @throws StorageException when the database was written by a newer schema than these steps know
     */
    public int migrate(String component, List<List<String>> steps) throws IOException {
        return exclusive("schema", c -> Migrations.apply(c, component, steps, where));
    }

    /**
     * Calls back whenever a notification arrives on a channel (PostgreSQL {@code LISTEN}), from a
     * daemon thread holding a connection of its own; after a lost connection, once more when it is
     * back. On SQLite, which has no notifications, does nothing: callers keep polling.
     *
     * @param channel a plain lower-case channel name
     * @param callback what to run; keep it short (hand work to an executor)
     * @return stops listening and returns the connection
     */
    public AutoCloseable listen(String channel, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        if (dialect != Dialect.POSTGRESQL) {
            return () -> { };
        }
        PgListener listener = new PgListener(dataSource, channel, callback);
        try {
            if (!listener.awaitListening(5_000)) {
                org.slf4j.LoggerFactory.getLogger(SqlDatabase.class)
                        .warn("Not yet listening on '{}' of the {}; it keeps trying", channel, where);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return listener;
    }

    /**
     * Turns a failed statement into an exception naming this database.
     *
     * @param e the failure
     * @return an {@link IOException}, or a {@link LockTimeoutException} for a lock wait that timed out
     */
    public IOException failure(SQLException e) {
        String state = e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if ("55P03".equals(state) || message.contains("SQLITE_BUSY")) {
            throw new LockTimeoutException("Another writer held the lock of the " + where + " for more than "
                    + lockTimeout.toMillis() + " ms: " + message, e);
        }
        return new IOException("The " + where + ": " + message, e);
    }

    @Override
    public String toString() {
        return where;
    }
}
