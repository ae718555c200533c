package io.mlops.spark;

import io.mlops.core.StorageException;
import io.mlops.core.ValidationException;
import io.mlops.data.Commit;
import io.mlops.data.DataVersioning;
import io.mlops.spark.internal.SparkJobs;
import io.mlops.spark.internal.TemporaryCommit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Versions of tables written by Spark: a DataFrame, or a folder Spark wrote as Parquet, committed as
 * one folder version of {@link DataVersioning} (each part file stored once across versions; the
 * identity is the files' content and partition folders, not the part files' names, so the same
 * table written again is the same version), and read back into Spark verified:
 *
 * <pre>{@code
 * DatasetVersion v = SparkData.commit(data, "events", events).parents(rawId).description("dedup").save();
 * Dataset<Row> again = SparkData.read(spark, data, v.id(), Path.of("/tmp/events-" + v.id()));
 * }</pre>
 *
 * <p>Paths are local file system paths, as the driver sees them: with a cluster, commit a folder on a
 * file system the driver mounts. A DataFrame is written by Spark itself ({@code write().parquet},
 * snappy) into a temporary folder in {@code java.io.tmpdir}, committed, and removed when the commit is
 * saved (or, never saved, when the JVM exits). Needs
 * {@code io.mlops:mlops-parquet} (a dependency of this module), which checks that the parts agree.
 * A Spark job that fails while writing or reading is reported as the library's exception
 * ({@link StorageException} for an I/O cause, else {@link io.mlops.core.MlopsException}, Spark's
 * reason in one line, Spark's exception as the cause); a failed write leaves no temporary folder.
 * A process killed while Spark writes leaves its {@code mlops-spark-commit-<pid>-*} folder in
 * {@code java.io.tmpdir} until the next DataFrame commit on that machine removes it (the versioning
 * itself is untouched: nothing is stored before {@code save()}, and a save is crash-safe). Thread-safe as {@link DataVersioning} is.
 *
 * @since 0.1.0
 */
public final class SparkData {

    private SparkData() {
    }

    /**
     * Starts the commit of a DataFrame: Spark writes it as Parquet, and the files are committed when
     * the returned commit is saved (then removed, saved or not).
     *
     * @param data the data versioning
     * @param name the dataset's name
     * @param table the rows
     * @return the commit to configure (parents, description, tags) and save
     * @throws io.mlops.core.MlopsException when Spark cannot write the rows
     */
    public static Commit commit(DataVersioning data, String name, Dataset<Row> table) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(table, "table");
        Path temp;
        try {
            temp = TemporaryCommit.createFolder(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new StorageException("Cannot make a temporary folder for the commit of '" + name + "': " + e.getMessage(), e);
        }
        Path folder = temp.resolve("table");
        try {
            SparkJobs.run("write '" + name + "'", () -> {
                table.write().mode(SaveMode.ErrorIfExists).parquet(folder.toUri().toString());
                return null;
            });
            return new TemporaryCommit(data.commit(name, folder), temp);
        } catch (RuntimeException e) {
            io.mlops.core.internal.io.TempFolders.deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Starts the commit of a folder Spark (or Hive) wrote as Parquet.
     *
     * @param data the data versioning
     * @param name the dataset's name
     * @param folder the folder, partition folders included
     * @return the commit to configure and save
     */
    public static Commit commit(DataVersioning data, String name, Path folder) {
        Objects.requireNonNull(folder, "folder");
        if (!Files.isDirectory(folder)) {
            throw new ValidationException("No folder at " + folder + ": commit the folder Spark wrote the table into");
        }
        return data.commit(name, folder);
    }

    /**
     * Starts the commit of a folder Spark wrote, named as Spark names it: a local path or a
     * {@code file:} URI (the form {@code write().parquet(...)} was given); other file systems are
     * refused — commit them from a mount the driver sees.
     *
     * @param data the data versioning
     * @param name the dataset's name
     * @param path the folder
     * @return the commit to configure and save
     */
    public static Commit commit(DataVersioning data, String name, String path) {
        Objects.requireNonNull(path, "path");
        if (path.startsWith("file:")) {
            return commit(data, name, Path.of(java.net.URI.create(path)));
        }
        if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new ValidationException("Cannot commit " + path + ": only local folders (a path or a file: URI) are"
                    + " committed; copy the table to a folder the driver sees, or mount it");
        }
        return commit(data, name, Path.of(path));
    }

    /**
     * Checks a folder version's files out, each verified against its digest, into a folder, and
     * reads them as a DataFrame (partition folders as columns, as Spark reads them). The folder must
     * outlive the DataFrame: Spark reads lazily.
     *
     * @param spark the session
     * @param data the data versioning
     * @param id a folder version's id
     * @param into where to write the files; created if missing, must be empty
     * @return the table
     */
    public static Dataset<Row> read(SparkSession spark, DataVersioning data, String id, Path into) {
        Objects.requireNonNull(spark, "spark");
        data.checkout(id, into);
        return SparkJobs.run("read version " + id + " from " + into, () -> spark.read().parquet(into.toUri().toString()));
    }
}
