package io.mlops.parquet;

import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import io.mlops.data.RowDiff;
import io.mlops.drift.ReferenceProfile;

import java.nio.file.Path;

/**
 * The child JVM of {@link BoundedMemoryIT}: commits two folder versions, profiles the first and
 * compares their rows (the first profiled again from its folder), printing one line per result, under the heap cap the test gives it.
 */
public final class BoundedMemoryWork {

    private BoundedMemoryWork() {
    }

    /**
     * @param args the repository, the first folder, the second folder
     */
    public static void main(String[] args) {
        DataVersioning data = DataVersioning.fileSystem(Path.of(args[0]));
        long t0 = System.nanoTime();
        DatasetVersion a = data.commit("big", Path.of(args[1])).save();
        DatasetVersion b = data.commit("big", Path.of(args[2])).parents(a.id()).save();
        System.out.println("COMMITTED " + a.rowCount().getAsLong() + " " + b.rowCount().getAsLong() + " " + a.sizeBytes() + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        t0 = System.nanoTime();
        ReferenceProfile profile = ParquetProfiles.profile(data, a.id(), 10);
        System.out.println("PROFILED " + profile.rowCount() + " " + profile.columns().size() + " " + profile.toJson().length()
                + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms (the version checked out, then profiled; "
                + (profile.rankError("x0") > 0 ? "sketched" : "exact") + ")");
        t0 = System.nanoTime();
        ReferenceProfile folder = ParquetProfiles.profile(Path.of(args[1]), 10);
        System.out.println("PROFILED-FOLDER " + folder.rowCount() + " " + (folder.rankError("x0") > 0 ? "sketched" : "exact") + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        t0 = System.nanoTime();
        RowDiff diff = data.compareRows(a.id(), b.id(), "id");
        System.out.println("DIFFED " + diff.added() + " " + diff.removed() + " " + diff.changed() + " " + diff.unchanged() + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        System.out.println("HEAP " + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
    }
}
