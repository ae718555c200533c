package io.mlops.parquet;

import io.mlops.core.Dataset;
import io.mlops.core.Problem;
import io.mlops.core.StorageException;
import io.mlops.core.ValidationException;
import io.mlops.core.spi.BlobStore;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import io.mlops.data.spi.DatasetStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A folder of Parquet part files, as Spark writes it, committed as one version: identity from the
 * content (not part names or order), each part stored once, checked out verified, refused whole
 * when its parts disagree, on the file-system and the SQL store.
 */
class FolderVersionTest {

    @TempDir
    Path dir;

    private DataVersioning repo(String kind) {
        Path root = dir.resolve("repo-" + kind);
        if (kind.equals("sqlite")) {
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl("jdbc:sqlite:" + dir.resolve("data.db"));
            return DataVersioning.builder().store(DatasetStore.jdbc(ds)).blobStore(BlobStore.fileSystem(root.resolve("blobs"))).build();
        }
        return DataVersioning.fileSystem(root);
    }

    private static Dataset part(long seed, int rows) {
        Random r = new Random(seed);
        double[] x = new double[rows];
        String[] s = new String[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = r.nextGaussian();
            s[i] = "c" + r.nextInt(5);
        }
        return Dataset.builder().numeric("x", x).categorical("s", s).build();
    }

    /** A Spark-like output folder: two partitions, part files named by task, _SUCCESS and .crc files. */
    private Path sparkFolder(String name, String suffix) throws Exception {
        Path t = dir.resolve(name);
        part(1, 1000).writeParquet(t.resolve("date=2026-12-01").resolve("part-00000-" + suffix + ".snappy.parquet"));
        part(2, 500).writeParquet(t.resolve("date=2026-12-01").resolve("part-00001-" + suffix + ".snappy.parquet"));
        part(3, 700).writeParquet(t.resolve("date=2026-12-02").resolve("part-00000-" + suffix + ".snappy.parquet"));
        Files.writeString(t.resolve("_SUCCESS"), "");
        Files.writeString(t.resolve("date=2026-12-01").resolve(".part-00000-" + suffix + ".snappy.parquet.crc"), "crc");
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"files", "sqlite"})
    void aSparkFolderIsOneVersionCheckedOutVerified(String kind) throws Exception {
        DataVersioning data = repo(kind);
        Path table = sparkFolder("events", "a1b2");
        long[] progress = {0, 0};

        DatasetVersion v = data.commit("events", table).progress((done, total) -> {
            progress[0] = done;
            progress[1] = total;
        }).save();

        assertThat(v.rowCount()).hasValue(2200);
        assertThat(progress[0]).isEqualTo(progress[1]).isEqualTo(v.sizeBytes()).isPositive();
        assertThat(data.load(v.id())).isEqualTo(Dataset.readParquet(table));
        Path out = dir.resolve("out-" + kind);
        data.checkout(v.id(), out);
        assertThat(files(out)).containsExactly("date=2026-12-01/part-00000-a1b2.snappy.parquet",
                "date=2026-12-01/part-00001-a1b2.snappy.parquet", "date=2026-12-02/part-00000-a1b2.snappy.parquet");
        for (String f : files(out)) {
            assertThat(Files.readAllBytes(out.resolve(f))).isEqualTo(Files.readAllBytes(table.resolve(f)));
        }
        assertThat(data.verify()).isEmpty();
        assertThatThrownBy(() -> data.open(v.id())).isInstanceOf(ValidationException.class).hasMessageContaining("checkout");
        assertThatThrownBy(() -> data.checkout(v.id(), out)).isInstanceOf(ValidationException.class).hasMessageContaining("not empty");
    }

    @Test
    void identityIsTheContentNotThePartNamesOrOrderButPartitionsCount() throws Exception {
        DataVersioning data = repo("files");
        DatasetVersion a = data.commit("events", sparkFolder("run1", "aaaa")).save();
        DatasetVersion b = data.commit("events", sparkFolder("run2", "bbbb")).save(); // same data, other part names
        assertThat(b.id()).isEqualTo(a.id());

        Path moved = sparkFolder("run3", "cccc");
        Files.move(moved.resolve("date=2026-12-02").resolve("part-00000-cccc.snappy.parquet"),
                moved.resolve("date=2026-12-01").resolve("part-00002-cccc.snappy.parquet"));
        assertThat(data.commit("events", moved).save().id()).isNotEqualTo(a.id());

        Path changed = sparkFolder("run4", "dddd");
        part(4, 700).writeParquet(changed.resolve("date=2026-12-02").resolve("part-00000-dddd.snappy.parquet"));
        assertThat(data.commit("events", changed).save().id()).isNotEqualTo(a.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"files", "sqlite"})
    void partsSharedByVersionsAreStoredOnceAndKeptUntilTheLastIsDeleted(String kind) throws Exception {
        DataVersioning data = repo(kind);
        Path blobs = dir.resolve("repo-" + kind).resolve("blobs");
        Path one = sparkFolder("one", "x");
        DatasetVersion first = data.commit("events", one).save();
        long before = blobCount(blobs);
        Path two = sparkFolder("two", "y");
        part(9, 100).writeParquet(two.resolve("date=2026-12-03").resolve("part-00000-y.parquet"));
        DatasetVersion second = data.commit("events", two).save();
        assertThat(blobCount(blobs) - before).as("one new part and one new list of parts").isEqualTo(2);

        data.delete(first.id());
        assertThat(data.verify()).isEmpty(); // the shared parts are still there
        data.checkout(second.id(), dir.resolve("after-delete-" + kind));
        data.delete(second.id());
        assertThat(blobCount(blobs)).isZero();
    }

    @Test
    void partsThatDisagreeOrFilesThatAreNotParquetAreRefusedWholeNamingThem() throws Exception {
        DataVersioning data = repo("files");
        Path mixed = dir.resolve("mixed");
        part(1, 10).writeParquet(mixed.resolve("part-0.parquet"));
        Dataset.builder().numeric("x", new double[] {1}).build().writeParquet(mixed.resolve("part-1.parquet"));
        assertThatThrownBy(() -> data.commit("events", mixed).save())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("part-0.parquet").hasMessageContaining("part-1.parquet");
        assertThat(data.versions("events")).isEmpty();
        assertThat(blobCount(dir.resolve("repo-files").resolve("blobs"))).isZero();

        Path notes = dir.resolve("with-notes");
        part(1, 10).writeParquet(notes.resolve("part-0.parquet"));
        Files.writeString(notes.resolve("README.txt"), "hello");
        assertThatThrownBy(() -> data.commit("events", notes).save())
                .isInstanceOf(ValidationException.class).hasMessageContaining("README.txt");

        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("part-0.parquet"), "not parquet at all");
        assertThatThrownBy(() -> data.commit("events", broken).save())
                .isInstanceOf(ValidationException.class).hasMessageContaining("part-0.parquet");
        assertThat(data.versions("events")).isEmpty();
    }

    @Test
    void aDamagedPartIsNamedByVerifyAndFailsItsCheckout() throws Exception {
        DataVersioning data = repo("files");
        DatasetVersion v = data.commit("events", sparkFolder("events", "z")).save();
        Path blobs = dir.resolve("repo-files").resolve("blobs");
        Path anyPart;
        try (Stream<Path> walk = Files.walk(blobs)) {
            anyPart = walk.filter(Files::isRegularFile).filter(p -> p.toFile().length() > 2000).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(anyPart);
        bytes[bytes.length / 2] ^= 1;
        Files.write(anyPart, bytes);

        List<Problem> problems = data.verify();
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).toString()).contains("its part date=");
        assertThatThrownBy(() -> data.checkout(v.id(), dir.resolve("out")))
                .isInstanceOf(StorageException.class).hasMessageContaining("Part date=");
    }

    private static List<String> files(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
        }
        out.sort(null);
        return out;
    }

    private static long blobCount(Path blobs) throws Exception {
        if (!Files.exists(blobs)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(blobs)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getParent().getParent().getFileName().toString().equals("objects")).count();
        }
    }
}
