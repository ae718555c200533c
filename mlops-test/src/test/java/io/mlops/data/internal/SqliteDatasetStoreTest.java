package io.mlops.data.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.mlops.data.spi.DatasetStore;
import io.mlops.test.DatasetStoreContract;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The contract kit on a SQLite file through the same JDBC store. */
class SqliteDatasetStoreTest extends DatasetStoreContract {

    @TempDir
    Path dir;
    private HikariDataSource pool;

    @Override
    protected DatasetStore newStore() {
        pool = TestDatabases.sqlite(dir.resolve("data.db"));
        return DatasetStore.jdbc(pool);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }
}
