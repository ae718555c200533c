package io.mlops.data.internal;

import io.mlops.data.spi.DatasetStore;
import io.mlops.test.DatasetStoreContract;

class InMemoryDatasetStoreTest extends DatasetStoreContract {

    @Override
    protected DatasetStore newStore() {
        return DatasetStore.inMemory();
    }
}
