package io.mlops.spark.internal;

import io.mlops.core.internal.io.TempFolders;
import io.mlops.data.Commit;
import io.mlops.data.DatasetVersion;

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
