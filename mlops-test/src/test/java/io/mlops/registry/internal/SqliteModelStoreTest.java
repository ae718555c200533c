package io.mlops.registry.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.mlops.registry.spi.ModelStore;
import io.mlops.test.ModelStoreContract;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The contract kit on a SQLite file through the same JDBC store. */
class SqliteModelStoreTest extends ModelStoreContract {

    @TempDir
    Path dir;
    private HikariDataSource pool;

    @Override
    protected ModelStore newStore() {
        pool = TestDatabases.sqlite(dir.resolve("registry.db"));
        return ModelStore.jdbc(pool);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }
}
