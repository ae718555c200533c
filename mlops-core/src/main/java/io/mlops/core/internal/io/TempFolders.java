package io.mlops.core.internal.io;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removal of the temporary folders that long work writes into (versions written out for a
 * comparison, an engine's spill folder): whatever the work left in them, logged rather than thrown
 * when something cannot go, so that cleaning up never hides the work's own failure.
 *
 * @since 0.1.0
 */
public final class TempFolders {

    private TempFolders() {
    }

    /**
     * Deletes a folder and everything in it; a folder that is not there is fine.
     *
     * @param dir the folder, or null
     */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(TempFolders.class).warn("Could not remove the temporary folder {}: {}", dir,
                    e.toString());
        }
    }
}
