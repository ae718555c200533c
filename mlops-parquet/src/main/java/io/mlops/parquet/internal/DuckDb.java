package io.mlops.parquet.internal;

import io.mlops.core.StorageException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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

    private final Connection connection;
    private final Path spill;

    private DuckDb(Connection connection, Path spill) {
        this.connection = connection;
        this.spill = spill;
    }

    static DuckDb open() {
        Path spill = null;
        try {
            spill = Files.createTempDirectory("mlops-duckdb-");
            // a database file in the temporary folder, not memory: tables beyond the memory cap live on disk
            Connection c = DriverManager.getConnection("jdbc:duckdb:" + spill.resolve("work.duckdb"));
            try (Statement s = c.createStatement()) {
                s.execute("SET autoinstall_known_extensions = false");
                s.execute("SET autoload_known_extensions = false");
                s.execute("SET memory_limit = '" + MEMORY_LIMIT.replace("'", "") + "'");
                s.execute("SET temp_directory = '" + literal(spill.toString()) + "'");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new DuckDb(c, spill);
        } catch (IOException | SQLException e) {
            deleteQuietly(spill);
            throw new StorageException("Cannot start the embedded DuckDB engine: " + e.getMessage(), e);
        }
    }

    Connection connection() {
        return connection;
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
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing was written through it that closing could lose
        } finally {
            deleteQuietly(spill);
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(DuckDb.class).warn("Could not remove the temporary folder {}: {}", dir, e.toString());
        }
    }
}
