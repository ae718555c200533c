package io.mlops.spark.internal;

import io.mlops.core.internal.io.TempFolders;
import io.mlops.data.Commit;
import io.mlops.data.DatasetVersion;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A commit of files Spark wrote into a temporary folder: the folder is removed when the commit is
 * saved (stored or failed), and, for a commit never saved, when the JVM exits. Not thread-safe, as
 * a {@link Commit} is not.
 */
public final class TemporaryCommit implements Commit {

    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PENDING.forEach(TempFolders::deleteQuietly),
                "mlops-spark-commit-cleanup"));
    }

    /** The prefix of the temporary folders: {@code mlops-spark-commit-<pid>-<random>}. */
    public static final String PREFIX = "mlops-spark-commit-";

    private final Commit commit;
    private final Path temp;

    /**
     * @param commit the commit of the folder
     * @param temp the temporary folder that holds it
     */
    public TemporaryCommit(Commit commit, Path temp) {
        this.commit = commit;
        this.temp = temp;
        PENDING.add(temp);
    }

    /**
     * Makes a temporary folder for a commit, named after this process, and first removes the
     * folders of processes that no longer run (killed while Spark wrote; a shutdown hook never ran).
     *
     * @param tmp the folder to make it in ({@code java.io.tmpdir})
     * @return the new folder
     * @throws IOException when it cannot be made
     */
    public static Path createFolder(Path tmp) throws IOException {
        sweep(tmp);
        return Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
    }

    /**
     * Removes the commit folders in {@code tmp} whose process no longer runs; those of running
     * processes (this one's included) and folders not named by this class are left alone.
     *
     * @param tmp the folder to look in
     * @return how many were removed
     */
    public static int sweep(Path tmp) {
        int removed = 0;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path p : all) {
                String rest = p.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                if (dash <= 0 || !rest.substring(0, dash).chars().allMatch(Character::isDigit) || dash > 18
                        || ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).map(ProcessHandle::isAlive).orElse(false)
                        || !Files.isDirectory(p)) {
                    continue;
                }
                TempFolders.deleteQuietly(p);
                removed++;
            }
        } catch (IOException e) {
            // a temporary folder that cannot be listed is not the commit's concern
        }
        return removed;
    }

    @Override
    public Commit description(String description) {
        commit.description(description);
        return this;
    }

    @Override
    public Commit parents(String... parentIds) {
        commit.parents(parentIds);
        return this;
    }

    @Override
    public Commit tag(String key, String value) {
        commit.tag(key, value);
        return this;
    }

    @Override
    public Commit progress(io.mlops.core.ProgressListener listener) {
        commit.progress(listener);
        return this;
    }

    @Override
    public DatasetVersion save() {
        try {
            return commit.save();
        } finally {
            TempFolders.deleteQuietly(temp);
            PENDING.remove(temp);
        }
    }
}
