package io.mlops.core.internal.io;

import java.nio.file.Path;

/**
 * What belongs to a table in a folder of part files, as Spark and Hive write them: a path whose
 * any part starts with {@code _} or {@code .} ({@code _SUCCESS}, {@code _temporary/},
 * {@code .part-0.parquet.crc}) is the writer's bookkeeping, not data. Stateless.
 */
public final class TableFolders {

    private TableFolders() {
    }

    /**
     * @param relative a file's path inside the table's folder
     * @return whether it is hidden or bookkeeping
     */
    public static boolean hidden(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith("_") || name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
