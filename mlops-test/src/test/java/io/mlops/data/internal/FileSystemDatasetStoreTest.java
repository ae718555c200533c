package io.mlops.data.internal;

import io.mlops.data.spi.DatasetStore;
import io.mlops.test.DatasetStoreContract;
import io.mlops.data.spi.StoredVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FileSystemDatasetStoreTest extends DatasetStoreContract {

    @TempDir
    Path dir;

    @Override
    protected DatasetStore newStore() {
        return DatasetStore.fileSystem(dir.resolve("store"));
    }

    @Test
    void anotherStoreOnTheSameRootFollowsTheIndex() throws IOException {
        DatasetStore other = DatasetStore.fileSystem(dir.resolve("store"));
        StoredVersion a = dataset("d", "a");
        store.put(a);
        assertThat(other.find(a.version().id())).contains(a);
        StoredVersion b = dataset("d", "b", a.version().id());
        store.put(b);
        assertThat(other.children(a.version().id())).containsExactly(b.version().id());
        store.delete(b.version().id());
        assertThat(other.find(b.version().id())).isEmpty();
    }

    @Test
    void aRecordWithoutItsIndexLineIsInvisible() throws IOException {
        StoredVersion a = dataset("d", "a");
        Path record = dir.resolve("store/versions/" + a.version().id() + ".json");
        Files.write(record, Records.versionBytes(a));
        assertThat(store.find(a.version().id())).isEmpty();
        assertThat(store.names()).isEmpty();
    }
}
