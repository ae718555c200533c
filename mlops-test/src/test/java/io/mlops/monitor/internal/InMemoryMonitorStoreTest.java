package io.mlops.monitor.internal;

import io.mlops.monitor.spi.MonitorStore;
import io.mlops.test.MonitorStoreContract;

class InMemoryMonitorStoreTest extends MonitorStoreContract {

    @Override
    protected MonitorStore newStore() {
        return MonitorStore.inMemory();
    }
}
