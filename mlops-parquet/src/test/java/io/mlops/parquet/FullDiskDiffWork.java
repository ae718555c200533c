package io.mlops.parquet;

import io.mlops.core.MlopsException;
import io.mlops.data.DataVersioning;

import java.nio.file.Path;

/** The child JVM of {@link FullDiskDiffIT}: compares two versions with its temporary folder on a small volume. */
public final class FullDiskDiffWork {

    private FullDiskDiffWork() {
    }

    /**
     * @param args the repository, the two version ids
     */
    public static void main(String[] args) {
        DataVersioning data = DataVersioning.fileSystem(Path.of(args[0]));
        try {
            System.out.println("DIFFED " + data.compareRows(args[1], args[2], "id").changed());
        } catch (MlopsException e) {
            System.out.println("REFUSED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
