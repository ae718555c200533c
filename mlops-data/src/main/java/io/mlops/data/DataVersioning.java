package io.mlops.data;

import io.mlops.core.Dataset;
import io.mlops.core.spi.BlobStore;
import io.mlops.data.internal.DefaultDataVersioning;
import io.mlops.data.spi.DatasetFormat;
import io.mlops.data.spi.DatasetStore;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Versioned datasets and files with lineage.
 *
 * <pre>{@code
 * DataVersioning data = DataVersioning.fileSystem(Path.of("data-versions"));
 * DatasetVersion v1 = data.commit("customer_data", dataset).description("Original").save();
 * DatasetVersion v2 = data.commit("customer_data", dataset2).description("Added feature3")
 *         .parents(v1.id()).save();
 * DatasetDiff diff = data.compare(v1.id(), v2.id());
 * List<DatasetVersion> lineage = data.lineage(v2.id());   // v2, then v1
 * }</pre>
 *
 * <p><b>Identity.</b> A version's id is {@code name_<first 16 hex digits of the SHA-256>}: of the
 * dataset's canonical content hash for a {@link Dataset} (so the same data is the same version
 * however it was formatted or built), of the bytes for a file. Committing the same content again
 * returns the existing version and stores nothing new.
 *
 * <p><b>Storage.</b> Datasets are stored as CSV (the {@link DatasetFormat}, pluggable) plus a JSON
 * schema sidecar; files as they are, streamed, never held in memory. Bytes live in a content-addressed
 * {@link BlobStore} and are verified against their SHA-256 whenever read.
 *
 * <p><b>Lineage</b> is a DAG: a version may have several parents. Parents must exist when a version
 * is committed, and a version cannot be deleted while another lists it as a parent.
 *
 * <p>Implementations are thread-safe; the file-system one is safe for several processes sharing a
 * root.
 *
 * @since 0.1.0
 */
public interface DataVersioning {

    /**
     * The embedded default: records under {@code root/metadata}, bytes under {@code root/blobs}.
     *
     * @param root the folder, created when missing
     * @return the versioning store
     */
    static DataVersioning fileSystem(Path root) {
        return builder().fileSystem(root).build();
    }

    /**
     * @return a builder for other stores, formats or clocks
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a commit of a dataset.
     *
     * @param name the dataset's name ({@link DatasetIds#requireValidName})
     * @param dataset the data
     * @return the commit to configure and save
     */
    Commit commit(String name, Dataset dataset);

    /**
     * Starts a commit of a file of any kind, or of a folder of Parquet part files (a Spark or Hive
     * output folder, {@code key=value} partition folders included) as one version; streamed, never
     * loaded whole.
     *
     * <p>A folder version stores each part file once (a part shared with another version is not
     * stored again) and needs {@code io.mlops:mlops-parquet} to check that the parts agree in their
     * columns and to count rows. Hidden files and folders and those starting with {@code _}
     * ({@code _SUCCESS}, {@code .crc}) are left out; any other file must be a {@code .parquet}
     * file. Its identity is the content of its files and their partition folders, not the names
     * of the part files nor their order: the same table written again by another job is the same
     * version. {@link #checkout} writes the files back; {@link #load} reads them as one dataset.
     *
     * @param name the dataset's name
     * @param file a regular file, or a folder of Parquet files
     * @return the commit to configure and save
     */
    Commit commit(String name, Path file);

    /**
     * Writes the files of a folder version into a folder, each verified against its digest.
     *
     * @param id a folder version's id
     * @param folder where to write them; created if missing, must be empty
     * @throws DatasetNotFoundException when the version does not exist
     * @throws io.mlops.core.ValidationException when it is not a folder version, or the folder is not empty
     * @throws io.mlops.core.StorageException when a part is missing or damaged, naming it
     */
    void checkout(String id, Path folder);

    /**
     * @param id a version id
     * @return the version, or empty
     */
    Optional<DatasetVersion> find(String id);

    /**
     * @param id a version id
     * @return the version
     * @throws DatasetNotFoundException when it does not exist
     */
    DatasetVersion get(String id);

    /**
     * Loads a version as a {@link Dataset}: a committed dataset, or a committed file whose name ends
     * in {@code .csv} (parsed with type inference).
     *
     * @param id a version id
     * @return the data, verified against its SHA-256
     * @throws DatasetNotFoundException when it does not exist
     * @throws io.mlops.core.ValidationException when it is a file that is not a CSV
     * @throws io.mlops.core.IntegrityException when the stored bytes are corrupted
     */
    Dataset load(String id);

    /**
     * Opens a version's stored bytes (a dataset's CSV rendering, or the file).
     *
     * @param id a version id
     * @return the bytes, verified as they are read; the caller closes the stream
     * @throws DatasetNotFoundException when it does not exist
     */
    InputStream open(String id);

    /**
     * @param name a dataset name
     * @return its versions, oldest first
     */
    List<DatasetVersion> versions(String name);

    /**
     * @return the dataset names with at least one version, sorted
     */
    List<String> names();

    /**
     * @param id a version id
     * @return the version, then every ancestor once, breadth-first (nearest first)
     * @throws DatasetNotFoundException when it does not exist
     */
    List<DatasetVersion> lineage(String id);

    /**
     * @param id a version id
     * @return every version derived from it, directly or not, once each, breadth-first
     * @throws DatasetNotFoundException when it does not exist
     */
    List<DatasetVersion> descendants(String id);

    /**
     * Checks the whole store for damage: its own files (unreadable lineage-index lines, version
     * records that do not parse) and every version's bytes and schema (present, and their SHA-256
     * verified by reading them whole, so this takes as long as reading everything once).
     *
     * <p>Damage stays local: a damaged record fails only its own version ({@link #get} throws a
     * {@link io.mlops.core.StorageException} naming the file; {@link #versions}, {@link #lineage}
     * and {@link #descendants} skip it with a warning). Damaged or missing bytes are repaired by
     * committing the same content again (under any name).
     *
     * @return what is damaged, with what to do about it; empty when all is well
     */
    List<io.mlops.core.Problem> verify();

    /**
     * Compares two versions (datasets, or CSV files).
     *
     * @param idA the earlier version
     * @param idB the later version
     * @return rows and columns added, removed and kept, type changes and per-column statistics
     */
    DatasetDiff compare(String idA, String idB);

    /**
     * Compares two versions of a table row by row, matched on key columns: rows added, removed and
     * changed, which columns changed in how many rows and by how much, duplicate keys, and the first
     * 10 examples of each. Exact at any
     * size: the versions are joined on disk by the engine of {@code io.mlops:mlops-parquet}, which
     * must be on the class path. Works on dataset versions, folder versions and Parquet or CSV file
     * versions.
     *
     * @param idA the earlier version
     * @param idB the later version
     * @param keyColumns the key columns, in both versions, without missing values
     * @return the comparison
     * @throws DatasetNotFoundException when a version does not exist
     * @throws io.mlops.core.ValidationException when a key column is absent, changed kind or has
     *         missing values, naming it
     * @throws io.mlops.core.MlopsException when {@code mlops-parquet} is not on the class path
     */
    RowDiff compareRows(String idA, String idB, String... keyColumns);

    /**
     * Compares two versions of a table row by row, as {@link #compareRows(String, String, String...)},
     * telling a listener how far it has come: in hundredths of the work (writing the versions out,
     * then the engine's steps), ending with {@code done == total}; called on the calling thread.
     * Interrupting the calling thread stops the comparison with an {@link io.mlops.core.MlopsException}.
     *
     * @param idA the earlier version
     * @param idB the later version
     * @param keyColumns the key columns
     * @param progress hears the progress
     * @return the comparison
     */
    RowDiff compareRows(String idA, String idB, List<String> keyColumns, io.mlops.core.ProgressListener progress);

    /**
     * Deletes a version that no other version lists as a parent; its bytes are removed when no
     * other version shares them.
     *
     * @param id a version id
     * @throws DatasetNotFoundException when it does not exist
     * @throws DatasetInUseException when other versions list it as a parent
     */
    void delete(String id);

    /** Builds a {@link DataVersioning}. Not thread-safe. */
    final class Builder {
        private DatasetStore store;
        private BlobStore blobs;
        private DatasetFormat format = DatasetFormat.csv();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Keeps records in {@code root/metadata} and bytes in {@code root/blobs}.
         *
         * @param root the folder
         * @return this builder
         */
        public Builder fileSystem(Path root) {
            Objects.requireNonNull(root, "root");
            this.store = DatasetStore.fileSystem(root.resolve("metadata"));
            this.blobs = BlobStore.fileSystem(root.resolve("blobs"));
            return this;
        }

        /**
         * Sets where version records are kept.
         *
         * @param store where version records are kept
         * @return this builder
         */
        public Builder store(DatasetStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets where bytes are kept.
         *
         * @param blobs where bytes are kept
         * @return this builder
         */
        public Builder blobStore(BlobStore blobs) {
            this.blobs = Objects.requireNonNull(blobs, "blobs");
            return this;
        }

        /**
         * Sets how new dataset versions are rendered (default CSV); versions stored in CSV stay readable whatever is set here.
         *
         * @param format how new dataset versions are rendered (default CSV); versions stored in CSV
         *     stay readable whatever is set here
         * @return this builder
         */
        public Builder format(DatasetFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Sets the source of commit times.
         *
         * @param clock the source of commit times
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the versioning store
         * @throws IllegalStateException when no store or blob store was set
         */
        public DataVersioning build() {
            if (store == null || blobs == null) {
                throw new IllegalStateException("data versioning needs a store and a blob store: call fileSystem(root),"
                        + " or both store(...) and blobStore(...)");
            }
            return new DefaultDataVersioning(store, blobs, format, clock);
        }
    }
}
