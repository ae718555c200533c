package io.mlops.registry.internal;

import io.mlops.core.SemanticVersion;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.spi.ModelStore;
import io.mlops.test.ModelStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class FileSystemModelStoreTest extends ModelStoreContract {

    @TempDir
    Path dir;

    @Override
    protected ModelStore newStore() {
        return ModelStore.fileSystem(dir.resolve("store"));
    }

    @Test
    void aSecondStoreOnTheSameRootSeesChangesIncrementally() throws IOException {
        ModelStore other = ModelStore.fileSystem(dir.resolve("store"));
        store.put(version("m", "1.0.0", "a"));
        assertThat(other.versions("m")).hasSize(1);
        store.put(version("m", "1.1.0", "b"));
        store.delete("m", SemanticVersion.parse("1.0.0"));
        assertThat(other.versions("m")).extracting(Object::toString).containsExactly("1.1.0");
        store.put(version("m", "1.1.0", "replaced"));
        assertThat(other.find("m", SemanticVersion.parse("1.1.0")).orElseThrow().sizeBytes()).isEqualTo("replaced".length());
    }

    @Test
    void aRecordWithoutItsIndexLineIsInvisible() throws IOException {
        // what a crash between writing the record and committing it to the index leaves
        Path record = dir.resolve("store/models/m/versions/1.0.0.json");
        Files.createDirectories(record.getParent());
        Files.write(record, RecordJson.versionBytes(version("m", "1.0.0", "x")));

        assertThat(store.find("m", SemanticVersion.parse("1.0.0"))).isEmpty();
        assertThat(store.models()).isEmpty();
        store.put(version("m", "1.0.0", "y"));
        assertThat(store.find("m", SemanticVersion.parse("1.0.0")).orElseThrow().sizeBytes()).isEqualTo(1);
    }

    @Test
    void aTornIndexLineIsIgnoredAndRepaired() throws IOException {
        store.put(version("m", "1.0.0", "a"));
        Path index = dir.resolve("store/models/m/index.log");
        Files.write(index, "+2.0".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);

        assertThat(ModelStore.fileSystem(dir.resolve("store")).versions("m")).extracting(Object::toString)
                .containsExactly("1.0.0");
        store.put(version("m", "1.1.0", "b"));
        assertThat(Files.readString(index)).isEqualTo("+1.0.0\n+1.1.0\n");
    }

    @Test
    void layoutIsOneSmallFilePerVersion() throws IOException {
        ModelVersion v = version("churn", "1.0.0", "a");
        store.put(v);
        assertThat(dir.resolve("store/models/churn/versions/1.0.0.json")).exists();
        assertThat(dir.resolve("store/models/churn/index.log")).hasContent("+1.0.0");
    }
}
