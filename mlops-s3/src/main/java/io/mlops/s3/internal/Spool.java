package io.mlops.s3.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The spool files of puts: {@code mlops-s3-*.spool}, locked by their writer while in use. */
final class Spool {

    static final String PREFIX = "mlops-s3-";
    static final String SUFFIX = ".spool";

    private Spool() {
    }

    /** Removes the spool files whose writer died (their lock went with the process). */
    static void removeAbandoned(Path directory) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        Files.deleteIfExists(file);
                        S3Blobs.log().info("Removed {}, left by a put whose process ended", file);
                    }
                } catch (OverlappingFileLockException | NoSuchFileException e) {
                    // in use by a put of this JVM, or gone meanwhile
                } catch (IOException e) {
                    S3Blobs.log().warn("Could not check spool file {}: {}", file, e.toString());
                }
            }
        } catch (IOException e) {
            S3Blobs.log().warn("Could not list spool files in {}: {}", directory, e.toString());
        }
    }
}
