package io.mlops.data;

import io.mlops.core.Dataset;
import io.mlops.core.Problem;
import io.mlops.core.StorageException;
import io.mlops.core.internal.io.AppendOnlyLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One damaged file of the data store affects only the version it holds. */
class DataDamageTest {

    @TempDir
    Path dir;

    DataVersioning data;
    DatasetVersion a1;
    DatasetVersion a2;
    DatasetVersion b1;

    static Dataset dataset(double... values) {
        return Dataset.builder().numeric("x", values).build();
    }

    @BeforeEach
    void versions() {
        data = DataVersioning.fileSystem(dir);
        a1 = data.commit("a", dataset(1, 2)).save();
        a2 = data.commit("a", dataset(1, 2, 3)).parents(a1.id()).save();
        b1 = data.commit("b", dataset(5, 6)).save();
    }

    private Path record(String id) {
        return dir.resolve("metadata/versions").resolve(id + ".json");
    }

    @Test
    void aDamagedRecordFailsOnlyItsVersion() throws IOException {
        Path file = record(a1.id());
        assertThat(file).exists();
        Files.write(file, "{\"id\": \"a_".getBytes(StandardCharsets.UTF_8));
        DataVersioning fresh = DataVersioning.fileSystem(dir);

        assertThat(fresh.names()).containsExactly("a", "b");
        assertThat(fresh.versions("b")).extracting(DatasetVersion::id).containsExactly(b1.id());
        assertThat(fresh.versions("a")).extracting(DatasetVersion::id).containsExactly(a2.id());
        assertThat(fresh.lineage(a2.id())).extracting(DatasetVersion::id).containsExactly(a2.id());
        assertThat(fresh.load(a2.id()).rowCount()).isEqualTo(3);
        assertThatThrownBy(() -> fresh.get(a1.id())).isInstanceOf(StorageException.class).hasMessageContaining(file.toString());
        fresh.delete(b1.id()); // deleting others works, and collects their bytes safely
        assertThat(fresh.versions("b")).isEmpty();

        List<Problem> problems = fresh.verify();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo("dataset version '" + a1.id() + "'");
            assertThat(p.location()).isEqualTo(file.toString());
        });
        // the repair: delete the children, then the damaged version
        fresh.delete(a2.id());
        fresh.delete(a1.id());
        assertThat(fresh.verify()).isEmpty();
    }

    @Test
    void aGarbageIndexLineIsSkippedAndReported() throws IOException {
        Path index = dir.resolve("metadata/index.log");
        AppendOnlyLog.append(index, "+../../etc/passwd");
        AppendOnlyLog.append(index, "garbage \u0000");
        DataVersioning fresh = DataVersioning.fileSystem(dir);
        assertThat(fresh.names()).containsExactly("a", "b");
        assertThat(fresh.versions("a")).hasSize(2);
        fresh.delete(b1.id());
        assertThat(fresh.verify()).hasSize(2).allMatch(p -> p.location().equals(index.toString()));
    }

    @Test
    void damagedBytesAreReportedAndRepairedByCommittingTheSameContent() throws IOException {
        Path blobs = dir.resolve("blobs/objects");
        List<Path> objects;
        try (var s = Files.walk(blobs)) {
            objects = s.filter(Files::isRegularFile).toList();
        }
        for (Path o : objects) {
            try (RandomAccessFile f = new RandomAccessFile(o.toFile(), "rw")) {
                f.seek(0);
                int b = f.read();
                f.seek(0);
                f.write(b ^ 1);
            }
        }
        assertThat(data.verify()).isNotEmpty().allMatch(p -> p.description().contains("damaged"));
        data.commit("copy", dataset(1, 2)).save();
        data.commit("copy", dataset(1, 2, 3)).save();
        data.commit("copy", dataset(5, 6)).save();
        assertThat(data.verify()).isEmpty();
        try (InputStream in = data.open(a1.id())) {
            assertThat(in.readAllBytes()).isNotEmpty();
        }
    }

    @Test
    void tempFilesOfKilledWritersAreRemovedWhenTheStoreOpens() throws IOException {
        Path temp = record(a1.id()).resolveSibling("." + a1.id() + ".json.x1.tmp");
        Files.write(temp, new byte[] {'{'});
        DataVersioning.fileSystem(dir);
        assertThat(temp).doesNotExist();
    }
}
