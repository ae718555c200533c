package io.mlops.data;

/**
 * A commit of a dataset or a file: obtained from {@link DataVersioning#commit}, configured
 * fluently, stored by {@link #save()}. Not thread-safe; use one commit per thread.
 *
 * @since 0.1.0
 */
public interface Commit {

    /**
     * @param description what this version is (what changed)
     * @return this commit
     */
    Commit description(String description);

    /**
     * Names the versions this one was derived from (zero or more: lineage is a DAG, a join has two).
     *
     * @param parentIds existing version ids
     * @return this commit
     * @throws io.mlops.core.ValidationException when an id is malformed
     */
    Commit parents(String... parentIds);

    /**
     * @param key a non-empty key without control characters
     * @param value the value
     * @return this commit
     */
    Commit tag(String key, String value);


    /**
     * Tells a listener how many of a committed file's bytes have been stored (a progress bar over a
     * large file); a dataset commit reports nothing. The default ignores the listener.
     *
     * @param listener told of the progress
     * @return this
     */
    default Commit progress(io.mlops.core.ProgressListener listener) {
        return this;
    }

    /**
     * Stores the content and records the version. When a version with the same name and content
     * exists already, returns it unchanged and stores nothing new (the first commit of a content
     * keeps its description, parents and tags).
     *
     * @return the version
     * @throws DatasetNotFoundException when a parent does not exist; nothing is written then
     * @throws io.mlops.core.StorageException when storage fails; nothing is visible then
     */
    DatasetVersion save();
}
