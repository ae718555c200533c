package io.mlops.monitor.internal;

import io.mlops.core.StorageException;
import io.mlops.core.internal.io.AtomicFiles;
import org.sqlite.SQLiteConfig;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The monitor store's connections: SQLite (one connection for writes, guarded by this object, and
 * one for reads, which WAL lets run beside the writer) or a PostgreSQL {@link DataSource} (a
 * connection per call). Runs work in a transaction or in autocommit mode. Thread-safe.
 */
final class SqlConnections implements AutoCloseable {

    private enum Dialect { SQLITE, POSTGRES }

    private final Dialect dialect;
    private final DataSource dataSource;   // POSTGRES
    private final Connection sqlite;       // SQLITE writes, guarded by this
    private final Connection sqliteRead;   // SQLITE reads (WAL lets them run beside the writer), guarded by itself
    private final String where;
    private final boolean readOnly;
    private String readOnlyReason; // why it was opened read-only; set once, before it is shared

    private SqlConnections(Dialect dialect, DataSource dataSource, Connection sqlite, Connection sqliteRead, String where,
                           boolean readOnly) {
        this.readOnly = readOnly;
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.sqlite = sqlite;
        this.sqliteRead = sqliteRead;
        this.where = where;
    }

    /**
     * @param db the SQLite file, created with its folders when missing
     * @return its connections: one for writes (WAL, synchronous=FULL, immediate transactions), one for reads
     * @throws IOException when the folder cannot be made or the volume is (nearly) full
     * @throws SQLException when SQLite cannot open the file
     */
    static SqlConnections sqlite(Path db) throws IOException, SQLException {
        AtomicFiles.createDirectories(db.toAbsolutePath().getParent());
        try {
            checkRoomToOpen(db.toAbsolutePath());
        } catch (IOException full) {
            if (!java.nio.file.Files.isRegularFile(db)) {
                throw full; // nothing to read either
            }
            org.slf4j.LoggerFactory.getLogger(SqlConnections.class).warn("Opening the monitor database {} read-only: {}", db,
                    full.getMessage());
            return sqliteReadOnly(db, full.getMessage());
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setBusyTimeout(30_000);
        Connection c = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
        SQLiteConfig readConfig = new SQLiteConfig();
        readConfig.setBusyTimeout(30_000);
        Connection r = readConfig.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
        return new SqlConnections(Dialect.SQLITE, null, c, r, db.toString(), false);
    }

    /**
     * Opens a SQLite database for reading only, without the shared-memory WAL index: in exclusive
     * locking mode, set before the first access, SQLite keeps the index in the heap and never maps
     * the {@code -shm} file, so that a full disk cannot turn a read into a SIGBUS. The file is
     * opened for writing nonetheless (an exclusive lock needs a writable descriptor) and
     * {@code query_only} refuses every change; the checkpoint SQLite tries when the connection
     * closes fails cleanly on a full disk and leaves the WAL whole. The connection holds the
     * database's lock until closed, so no other process writes it meanwhile.
     */
    private static SqlConnections sqliteReadOnly(Path db, String why) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
        config.setBusyTimeout(30_000);
        Connection r = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
        try (java.sql.Statement s = r.createStatement()) {
            s.execute("PRAGMA query_only = 1");
        }
        SqlConnections out = new SqlConnections(Dialect.SQLITE, null, null, r, db.toString(), true);
        out.readOnlyReason = why;
        return out;
    }

    /** Whether the database was opened read-only (a SQLite file on a nearly full volume). */
    boolean readOnly() {
        return readOnly;
    }

    /** Free space, beyond what the WAL index needs, below which a SQLite monitor is not opened. */
    static final long MIN_FREE_BYTES = 1L << 20;

    /**
     * Refuses to open a SQLite database on a (nearly) full volume. SQLite keeps the WAL index in a
     * {@code -shm} file that it maps into memory and extends by writing one byte per 4 KiB page; on
     * a file system whose blocks are smaller than that page the rest of the page stays a hole, and
     * when the recovery of a leftover WAL then writes into the hole on a full disk, the kernel
     * answers with SIGBUS and the whole JVM dies. A clear error beforehand is the only safe answer.
     * The index takes 32 KiB per 4,096 WAL frames; we ask for 1 MiB plus a sixty-fourth of the WAL.
     */
    static void checkRoomToOpen(Path db) throws IOException {
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        long walBytes = java.nio.file.Files.exists(wal) ? java.nio.file.Files.size(wal) : 0;
        long needed = MIN_FREE_BYTES + walBytes / 64;
        long usable = java.nio.file.Files.getFileStore(db.getParent()).getUsableSpace();
        if (usable < needed) {
            throw new IOException("only " + usable + " bytes are free on its volume and opening needs at least " + needed
                    + " (SQLite maps its WAL index into memory, and a full disk there would crash the JVM); free some space");
        }
    }

    /**
     * @param dataSource connections to a PostgreSQL database
     * @return a connection per call from it
     */
    static SqlConnections jdbc(DataSource dataSource) {
        return new SqlConnections(Dialect.POSTGRES, dataSource, null, null, String.valueOf(dataSource), false);
    }

    /** A connection per call, for reading only: every transaction is refused. */
    static SqlConnections jdbcReadOnly(DataSource dataSource) {
        SqlConnections out = new SqlConnections(Dialect.POSTGRES, dataSource, null, null, String.valueOf(dataSource), true);
        out.readOnlyReason = "it was opened for reading";
        return out;
    }

    /** Work on a connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /** Runs work in one transaction. */
    <T> T tx(Work<T> work) throws IOException {
        if (readOnly) {
            throw new io.mlops.core.ReadOnlyException("The monitor database " + where + " was opened read-only: "
                    + readOnlyReason);
        }
        try {
            if (dialect == Dialect.SQLITE) {
                synchronized (this) {
                    return inTransaction(sqlite, work);
                }
            }
            try (Connection c = dataSource.getConnection()) {
                return inTransaction(c, work);
            }
        } catch (SQLException e) {
            throw new IOException("Monitor database " + where + ": " + e.getMessage(), e);
        }
    }

    /** Runs a read in autocommit mode: on SQLite's read connection, which does not wait for the writer. */
    <T> T read(Work<T> work) throws IOException {
        try {
            if (dialect == Dialect.SQLITE) {
                synchronized (sqliteRead) {
                    return work.run(sqliteRead);
                }
            }
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new IOException("Monitor database " + where + ": " + e.getMessage(), e);
        }
    }

    private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException, IOException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    boolean isSqlite() {
        return dialect == Dialect.SQLITE;
    }

    /**
     * @return whether the connection is SQLite's read connection (whose statements may be cached)
     */
    boolean isSqliteRead(Connection c) {
        return c != null && c == sqliteRead;
    }

    @Override
    public void close() {
        if (readOnly && dialect == Dialect.SQLITE) {
            synchronized (sqliteRead) {
                try {
                    sqliteRead.close();
                } catch (SQLException e) {
                    throw new StorageException("Cannot close the monitor database " + where + ": " + e.getMessage(), e);
                }
            }
        } else if (sqlite != null) {
            synchronized (this) {
                try {
                    synchronized (sqliteRead) {
                        sqliteRead.close();
                    }
                    sqlite.close();
                } catch (SQLException e) {
                    throw new StorageException("Cannot close the monitor database " + where + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return dialect.name().toLowerCase(java.util.Locale.ROOT) + " " + where;
    }
}
