package io.mlops.registry.internal;

import io.mlops.registry.spi.ModelStore;
import io.mlops.test.ModelStoreContract;

class InMemoryModelStoreTest extends ModelStoreContract {

    @Override
    protected ModelStore newStore() {
        return ModelStore.inMemory();
    }
}
