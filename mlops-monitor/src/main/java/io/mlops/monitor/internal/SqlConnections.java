package io.mlops.monitor.internal;

import io.mlops.core.StorageException;
import io.mlops.core.internal.io.AtomicFiles;
import io.mlops.core.internal.sql.SqlDatabase;
import io.mlops.core.internal.sql.SqlDatabase.Dialect;
import io.mlops.core.internal.sql.SqlWork;
import org.sqlite.SQLiteConfig;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The monitor store's connections: a SQLite file it opens itself (one connection for writes,
 * guarded by this object, and one for reads, which WAL lets run beside the writer; a nearly full
 * volume opens it read-only, see {@link #checkRoomToOpen}), or the caller's {@link DataSource}
 * through core's {@link SqlDatabase} (a connection per call), as every other JDBC store. Runs work
 * in a transaction or in autocommit mode. Thread-safe.
 */
final class SqlConnections implements AutoCloseable {

    private final Dialect dialect;
    private final SqlDatabase database;    // a DataSource's
    private final Connection sqlite;       // SQLITE writes, guarded by this
    private final Connection sqliteRead;   // SQLITE reads (WAL lets them run beside the writer), guarded by itself
    private final String where;
    private final boolean readOnly;
    private String readOnlyReason; // why it was opened read-only; set once, before it is shared

    private SqlConnections(Dialect dialect, SqlDatabase database, Connection sqlite, Connection sqliteRead, String where,
                           boolean readOnly) {
        this.readOnly = readOnly;
        this.dialect = dialect;
        this.database = database;
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
        return new SqlConnections(Dialect.SQLITE, null, c, r, "monitor database " + db, false);
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
        SqlConnections out = new SqlConnections(Dialect.SQLITE, null, null, r, "monitor database " + db, true);
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
     * @param dataSource connections to a PostgreSQL (or SQLite) database
     * @return a connection per call from it
     * @throws StorageException when it cannot be reached or is another database
     */
    static SqlConnections jdbc(DataSource dataSource) {
        SqlDatabase db = SqlDatabase.open(dataSource, "monitor", java.time.Duration.ofSeconds(30));
        return new SqlConnections(db.dialect(), db, null, null, "monitor database " + dataSource, false);
    }

    /** A connection per call, for reading only: every transaction is refused. */
    static SqlConnections jdbcReadOnly(DataSource dataSource) {
        SqlDatabase db = SqlDatabase.open(dataSource, "monitor", java.time.Duration.ofSeconds(30));
        SqlConnections out = new SqlConnections(db.dialect(), db, null, null, "monitor database " + dataSource, true);
        out.readOnlyReason = "it was opened for reading";
        return out;
    }

    /** Runs work in one transaction. */
    <T> T tx(SqlWork<T> work) throws IOException {
        if (readOnly) {
            throw new io.mlops.core.ReadOnlyException("The " + where + " was opened read-only: "
                    + readOnlyReason);
        }
        if (database != null) {
            return database.transaction(work);
        }
        try {
            synchronized (this) {
                return inTransaction(sqlite, work);
            }
        } catch (SQLException e) {
            throw new IOException("The " + where + ": " + e.getMessage(), e);
        }
    }

    /** Runs a read in autocommit mode: on SQLite's read connection, which does not wait for the writer. */
    <T> T read(SqlWork<T> work) throws IOException {
        if (database != null) {
            return database.read(work);
        }
        try {
            synchronized (sqliteRead) {
                return work.run(sqliteRead);
            }
        } catch (SQLException e) {
            throw new IOException("The " + where + ": " + e.getMessage(), e);
        }
    }

    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException, IOException {
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

    Dialect dialect() {
        return dialect;
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
        if (database != null) {
            return; // the caller's DataSource
        }
        if (readOnly) {
            synchronized (sqliteRead) {
                try {
                    sqliteRead.close();
                } catch (SQLException e) {
                    throw new StorageException("Cannot close the " + where + ": " + e.getMessage(), e);
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
                    throw new StorageException("Cannot close the " + where + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return where;
    }
}
