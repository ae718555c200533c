package io.mlops.data.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.mlops.core.internal.sql.Migrations;
import io.mlops.core.internal.io.Sha256;
import io.mlops.data.DatasetIds;
import io.mlops.data.DatasetVersion;
import io.mlops.data.spi.DatasetStore;
import io.mlops.data.spi.StoredVersion;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written at data schema 1 (folder versions named their parts in their records only)
 * opens at schema 2 with those parts indexed in the same transaction: a part only a version stored
 * before the upgrade uses stays referenced, so deleting another version never removes its blob.
 */
class PartsMigrationTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void foldersStoredBeforeThePartsTableKeepTheirPartsReferenced(String kind) throws Exception {
        TestDatabases.PostgresSchema schema = null;
        HikariDataSource pool = null;
        DataSource ds;
        if (kind.equals("sqlite")) {
            pool = TestDatabases.sqlite(dir.resolve("data.db"));
            ds = pool;
        } else {
            schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
            Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
            ds = schema.dataSource();
        }
        try {
            String sha = Sha256.hex("folder old".getBytes());
            String part = Sha256.hex("p0 old".getBytes());
            StoredVersion old = new StoredVersion(new DatasetVersion(DatasetIds.id("events", sha), "events", sha, Instant.EPOCH, "",
                    List.of(), 100, OptionalLong.of(1)), Sha256.hex("list old".getBytes()), null, StoredVersion.FILES, "events",
                    List.of(new StoredVersion.Part("part-0.parquet", part, 100)));
            try (Connection c = ds.getConnection()) {
                Migrations.apply(c, "data", DataSchema.STEPS.subList(0, 1), "test database");
                try (PreparedStatement p = c.prepareStatement("INSERT INTO mlops_dataset_versions"
                        + " (id, name, seq, blob_sha256, schema_sha256, record) VALUES (?, ?, 1, ?, NULL, ?)")) {
                    p.setString(1, old.version().id());
                    p.setString(2, "events");
                    p.setString(3, old.blobSha256());
                    p.setString(4, Records.versionText(old));
                    p.executeUpdate();
                }
            }

            DatasetStore store = DatasetStore.jdbc(ds);

            assertThat(store.isBlobReferenced(part)).as("a part of a folder version stored at schema 1").isTrue();
            try (Connection c = ds.getConnection()) {
                assertThat(Migrations.version(c, "data")).isEqualTo(2);
            }
            DatasetStore.jdbc(ds); // opening again indexes nothing twice
            store.delete(old.version().id());
            assertThat(store.isBlobReferenced(part)).isFalse();
        } finally {
            if (pool != null) {
                pool.close();
            }
            if (schema != null) {
                schema.close();
            }
        }
    }
}
