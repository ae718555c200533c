package io.mlops.data;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.core.IntegrityException;
import io.mlops.core.ValidationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataVersioningTest {

    @TempDir
    Path dir;

    DataVersioning data;

    @BeforeEach
    void open() {
        data = DataVersioning.fileSystem(dir.resolve("versions"));
    }

    /** The chapter's data: feature1, feature2 ~ N(0,1), target in {0,1}, 1,000 rows. */
    static Dataset original(long seed) {
        Random r = new Random(seed);
        double[] f1 = new double[1000];
        double[] f2 = new double[1000];
        double[] target = new double[1000];
        for (int i = 0; i < 1000; i++) {
            f1[i] = r.nextGaussian();
            f2[i] = r.nextGaussian();
            target[i] = r.nextInt(2);
        }
        return Dataset.builder().numeric("feature1", f1).numeric("feature2", f2).numeric("target", target).build();
    }

    static Dataset modified(Dataset original, long seed) {
        Random r = new Random(seed);
        double[] f3 = new double[original.rowCount()];
        for (int i = 0; i < f3.length; i++) {
            f3[i] = r.nextGaussian();
        }
        return original.toBuilder().numeric("feature3", f3).remove("feature2").build();
    }

    private long blobCount() throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("versions/blobs/objects"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void theChaptersExampleReportsExactlyWhatChanged() {
        Dataset original = original(42);
        DatasetVersion v1 = data.commit("customer_data", original).description("Original customer dataset").save();
        DatasetVersion v2 = data.commit("customer_data", modified(original, 43))
                .description("Added feature3, removed feature2").parents(v1.id()).save();

        assertThat(v1.id()).isEqualTo("customer_data_" + original.contentHash().substring(0, 16));
        assertThat(v1.rowCount()).hasValue(1000);
        assertThat(v2.parents()).containsExactly(v1.id());

        DatasetDiff diff = data.compare(v1.id(), v2.id());
        assertThat(diff.rowsBefore()).isEqualTo(1000);
        assertThat(diff.rowsAfter()).isEqualTo(1000);
        assertThat(diff.columnsAdded()).containsExactly("feature3");
        assertThat(diff.columnsRemoved()).containsExactly("feature2");
        assertThat(diff.columnsKept()).containsExactly("feature1", "target");
        assertThat(diff.typeChanges()).isEmpty();
        assertThat(diff.column("feature1").deltas()).containsEntry("mean", 0.0).containsEntry("std", 0.0);
        assertThat(diff.summary()).contains("columns added [feature3]").contains("columns removed [feature2]");

        assertThat(data.lineage(v2.id())).extracting(DatasetVersion::id).containsExactly(v2.id(), v1.id());
        assertThat(data.lineage(v2.id())).extracting(DatasetVersion::description)
                .containsExactly("Added feature3, removed feature2", "Original customer dataset");
        assertThat(data.descendants(v1.id())).extracting(DatasetVersion::id).containsExactly(v2.id());
        assertThat(data.versions("customer_data")).extracting(DatasetVersion::id).containsExactly(v1.id(), v2.id());
        assertThat(data.load(v2.id())).isEqualTo(modified(original, 43));
    }

    @Test
    void sameValuesWithOtherCsvFormattingAreTheSameVersionAndStoredOnce() throws IOException {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.writeString(a, "x,c\n1,red\n2.5,blue\n");
        Files.writeString(b, "x,c\n1.0,\"red\"\n2.50,blue\n");

        DatasetVersion va = data.commit("d", Dataset.readCsv(a)).save();
        long blobs = blobCount();
        DatasetVersion vb = data.commit("d", Dataset.readCsv(b)).description("again").save();

        assertThat(vb).isEqualTo(va);
        assertThat(blobCount()).isEqualTo(blobs);
        assertThat(data.versions("d")).hasSize(1);
        assertThat(vb.description()).isEmpty(); // the first commit of a content wins
    }

    @Test
    void filesAreVersionedByTheirBytesAndOpenedVerified() throws IOException {
        Path events = dir.resolve("events.bin");
        byte[] bytes = new byte[3_000_000];
        new Random(1).nextBytes(bytes);
        Files.write(events, bytes);

        DatasetVersion v = data.commit("raw_events", events).tag("source", "kafka").save();

        assertThat(v.isDataset()).isFalse();
        assertThat(v.rowCount()).isEmpty();
        assertThat(v.sizeBytes()).isEqualTo(bytes.length);
        assertThat(v.tags()).containsEntry("source", "kafka");
        try (InputStream in = data.open(v.id())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(data.commit("raw_events", events).save()).isEqualTo(v);
        assertThatThrownBy(() -> data.load(v.id())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("is a file (events.bin), not a CSV");
    }

    @Test
    void aCsvFileVersionLoadsAsADataset() throws IOException {
        Path csv = dir.resolve("prices.csv");
        Files.writeString(csv, "sku,price\nA1,9.5\nB2,\n");
        DatasetVersion v = data.commit("prices", csv).save();
        Dataset d = data.load(v.id());
        assertThat(d.categorical("sku")).containsExactly("A1", "B2");
        assertThat(d.numeric("price")).containsExactly(9.5, Double.NaN);
    }

    @Test
    void aMissingParentIsRejectedBeforeAnythingIsWritten() throws IOException {
        String ghost = "customer_data_0123456789abcdef";
        assertThatThrownBy(() -> data.commit("customer_data", original(1)).parents(ghost).save())
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessageContaining(ghost);
        assertThat(blobCount()).isZero();
        assertThat(data.names()).isEmpty();
        assertThatThrownBy(() -> data.commit("d", original(1)).parents("not an id"))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void aDiamondLineageListsEachAncestorOnce() {
        DatasetVersion raw = data.commit("d", original(1)).description("raw").save();
        DatasetVersion left = data.commit("d", original(2)).description("left").parents(raw.id()).save();
        DatasetVersion right = data.commit("d", original(3)).description("right").parents(raw.id()).save();
        DatasetVersion joined = data.commit("d", original(4)).description("join").parents(left.id(), right.id()).save();

        assertThat(data.lineage(joined.id())).extracting(DatasetVersion::description)
                .containsExactly("join", "left", "right", "raw");
        assertThat(data.descendants(raw.id())).extracting(DatasetVersion::description)
                .containsExactly("left", "right", "join");
    }

    @Test
    void deleteRefusesAParentAndCollectsUnsharedBytes() throws IOException {
        DatasetVersion v1 = data.commit("d", original(1)).save();
        DatasetVersion v2 = data.commit("d", original(2)).parents(v1.id()).save();

        assertThatThrownBy(() -> data.delete(v1.id())).isInstanceOf(DatasetInUseException.class)
                .hasMessageContaining(v2.id());
        long before = blobCount();
        data.delete(v2.id());
        assertThat(blobCount()).isEqualTo(before - 2); // its CSV and its schema sidecar
        data.delete(v1.id());
        assertThat(blobCount()).isZero();
        assertThatThrownBy(() -> data.get(v1.id())).isInstanceOf(DatasetNotFoundException.class);
    }

    @Test
    void aFlippedByteIsCaughtOnLoad() throws IOException {
        DatasetVersion v = data.commit("d", original(1)).save();
        Path csv;
        try (Stream<Path> s = Files.walk(dir.resolve("versions/blobs/objects"))) {
            csv = s.filter(Files::isRegularFile).max((x, y) -> Long.compare(x.toFile().length(), y.toFile().length())).orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(csv.toFile(), "rw")) {
            f.seek(5000);
            int b = f.read();
            f.seek(5000);
            f.write(b == '1' ? '2' : '1');
        }
        assertThatThrownBy(() -> data.load(v.id())).isInstanceOf(IntegrityException.class);
    }

    @Test
    void compareReportsStatisticsTypeChangesAndCategories() {
        Dataset a = Dataset.builder()
                .numeric("x", new double[] {1, 2, 3, 4, Double.NaN})
                .categorical("c", new String[] {"red", "red", "blue", null, "green"})
                .numeric("t", new double[] {0, 1, 0, 1, 0})
                .build();
        Dataset b = Dataset.builder()
                .numeric("x", new double[] {2, 4, 6, 8, 10})
                .categorical("c", new String[] {"red", "pink", "pink", "pink", "blue"})
                .categorical("t", new String[] {"no", "yes", "no", "yes", "no"})
                .build();
        DatasetVersion va = data.commit("s", a).save();
        DatasetVersion vb = data.commit("s", b).parents(va.id()).save();

        DatasetDiff diff = data.compare(va.id(), vb.id());

        ColumnSummary x = diff.column("x").before();
        assertThat(x.count()).isEqualTo(4);
        assertThat(x.missing()).isEqualTo(1);
        assertThat(x.mean()).isEqualTo(2.5);
        assertThat(x.std()).isCloseTo(1.2909944487358056, org.assertj.core.data.Offset.offset(1e-15)); // pandas std
        assertThat(x.q25()).isEqualTo(1.75); // numpy.quantile([1,2,3,4], .25)
        assertThat(x.median()).isEqualTo(2.5);
        assertThat(x.q75()).isEqualTo(3.25);
        assertThat(diff.column("x").deltas()).containsEntry("mean", 3.5).containsEntry("missing", -1.0);

        DatasetDiff.ColumnChange c = diff.column("c");
        assertThat(c.categoriesAdded()).containsExactly("pink");
        assertThat(c.categoriesRemoved()).containsExactly("green");
        assertThat(c.before().topProportions()).containsExactly(
                java.util.Map.entry("red", 0.5), java.util.Map.entry("blue", 0.25), java.util.Map.entry("green", 0.25));
        assertThat(c.after().categories()).isEqualTo(3);

        assertThat(diff.typeChanges()).containsExactly(new DatasetDiff.TypeChange("t", ColumnType.NUMERIC, ColumnType.CATEGORICAL));
        assertThat(diff.toJson()).contains("\"columnsKept\" : [ \"x\", \"c\", \"t\" ]").contains("\"q25\" : 1.75");
    }

    @Test
    void invalidNamesAndIdsAreRejected() {
        assertThatThrownBy(() -> data.commit("../x", original(1))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> data.commit("a".repeat(112), original(1))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("at most 111");
        assertThatThrownBy(() -> data.find("../../etc/passwd")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> data.commit("d", dir.resolve("missing.csv"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inMemoryBackendsBehaveTheSame() {
        DataVersioning memory = DataVersioning.builder().store(io.mlops.data.spi.DatasetStore.inMemory())
                .blobStore(io.mlops.core.spi.BlobStore.inMemory()).build();
        DatasetVersion v1 = memory.commit("d", original(1)).save();
        DatasetVersion v2 = memory.commit("d", modified(original(1), 2)).parents(v1.id()).save();
        assertThat(memory.lineage(v2.id())).extracting(DatasetVersion::id).containsExactly(v2.id(), v1.id());
        assertThat(memory.load(v1.id())).isEqualTo(original(1));
        assertThat(memory.versions("d")).extracting(DatasetVersion::id).containsExactly(v1.id(), v2.id());
    }

    @Test
    void versionsListsOldestFirst() {
        DatasetVersion a = data.commit("d", original(5)).save();
        DatasetVersion b = data.commit("d", original(3)).save();
        DatasetVersion c = data.commit("d", original(9)).save();
        assertThat(data.versions("d")).extracting(DatasetVersion::id).containsExactly(a.id(), b.id(), c.id());
        assertThat(data.versions("nothing")).isEmpty();
        assertThat(data.names()).isEqualTo(List.of("d"));
    }
}
