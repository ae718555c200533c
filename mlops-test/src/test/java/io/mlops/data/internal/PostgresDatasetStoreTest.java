package io.mlops.data.internal;

import io.mlops.data.spi.DatasetStore;
import io.mlops.test.DatasetStoreContract;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;

/**
 * The contract kit on the local PostgreSQL server, each test in a schema of its own (dropped
 * afterwards); says {@code SKIPPED} when the server is not reachable.
 */
class PostgresDatasetStoreTest extends DatasetStoreContract {

    private TestDatabases.PostgresSchema schema;

    @Override
    protected DatasetStore newStore() {
        schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
        Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
        return DatasetStore.jdbc(schema.dataSource());
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            schema.close();
        }
    }
}
