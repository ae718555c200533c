package io.mlops.core.internal;

import io.mlops.core.spi.BlobStore;
import io.mlops.test.BlobStoreContract;

class InMemoryBlobStoreTest extends BlobStoreContract {

    @Override
    protected BlobStore newStore() {
        return BlobStore.inMemory();
    }

    @Override
    protected void flipOneByte(BlobStore store, String sha256, long offset) {
        ((InMemoryBlobStore) store).storedBytes(sha256)[(int) offset] ^= 1;
    }

    @Override
    protected long blobCount(BlobStore store) {
        return ((InMemoryBlobStore) store).blobCount();
    }
}
