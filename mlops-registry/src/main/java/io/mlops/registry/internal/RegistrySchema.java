package io.mlops.registry.internal;

import java.util.List;

/**
 * The registry's tables in a SQL database, as numbered migration steps (recorded in
 * {@code mlops_schema_version}, component {@code registry}). Steps are never edited once released;
 * a change is a new step.
 */
final class RegistrySchema {

    /** The PostgreSQL notification channel on which committed alias moves are announced (payload: the model). */
    static final String CHANNEL = "mlops_registry";

    /** Step 1: versions, per-model generations, alias moves, audit events; step 2: signatures. */
    static final List<List<String>> STEPS = List.of(List.of(
            "CREATE TABLE mlops_models (model VARCHAR(128) PRIMARY KEY, generation BIGINT NOT NULL)",
            "CREATE TABLE mlops_model_versions (model VARCHAR(128) NOT NULL, version VARCHAR(512) NOT NULL,"
                    + " sha256 CHAR(64) NOT NULL, record TEXT NOT NULL, PRIMARY KEY (model, version))",
            "CREATE INDEX mlops_model_versions_sha256 ON mlops_model_versions (sha256)",
            "CREATE TABLE mlops_alias_changes (model VARCHAR(128) NOT NULL, alias VARCHAR(128) NOT NULL,"
                    + " seq BIGINT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (model, alias, seq))",
            "CREATE TABLE mlops_registry_events (seq BIGINT PRIMARY KEY, record TEXT NOT NULL)"),
            // step 2: versions' signatures (DSSE envelopes), removed with their version
            List.of("CREATE TABLE IF NOT EXISTS mlops_signatures (model VARCHAR(128) NOT NULL, version VARCHAR(512) NOT NULL,"
                    + " seq BIGINT NOT NULL, envelope TEXT NOT NULL, PRIMARY KEY (model, version, seq))"),
            // step 3: small shared values (webhook delivery positions and dead letters)
            List.of("CREATE TABLE IF NOT EXISTS mlops_registry_values (name VARCHAR(200) PRIMARY KEY, value TEXT NOT NULL)"));

    private RegistrySchema() {
    }
}
