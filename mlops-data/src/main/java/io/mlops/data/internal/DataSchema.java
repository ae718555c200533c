package io.mlops.data.internal;

import java.util.List;

/**
 * The data-versioning tables in a SQL database, as numbered migration steps (recorded in
 * {@code mlops_schema_version}, component {@code data}). Steps are never edited once released; a
 * change is a new step.
 */
final class DataSchema {

    /** Step 1: versions in commit order and lineage edges; step 2: folder versions' parts. */
    static final List<List<String>> STEPS = List.of(List.of(
            "CREATE TABLE mlops_dataset_versions (id VARCHAR(256) PRIMARY KEY, name VARCHAR(128) NOT NULL,"
                    + " seq BIGINT NOT NULL UNIQUE, blob_sha256 CHAR(64) NOT NULL, schema_sha256 CHAR(64), record TEXT NOT NULL)",
            "CREATE INDEX mlops_dataset_versions_name ON mlops_dataset_versions (name, seq)",
            "CREATE INDEX mlops_dataset_versions_blob ON mlops_dataset_versions (blob_sha256)",
            "CREATE INDEX mlops_dataset_versions_schema ON mlops_dataset_versions (schema_sha256)",
            "CREATE TABLE mlops_dataset_parents (child VARCHAR(256) NOT NULL, parent VARCHAR(256) NOT NULL,"
                    + " position INTEGER NOT NULL, PRIMARY KEY (child, parent))",
            "CREATE INDEX mlops_dataset_parents_parent ON mlops_dataset_parents (parent)"),
            // Step 2: the part files of folder versions, so that a blob's references are found by index
            List.of("CREATE TABLE mlops_dataset_parts (version_id VARCHAR(256) NOT NULL, sha256 CHAR(64) NOT NULL,"
                            + " PRIMARY KEY (version_id, sha256))",
                    "CREATE INDEX mlops_dataset_parts_sha256 ON mlops_dataset_parts (sha256)"));

    private DataSchema() {
    }
}
