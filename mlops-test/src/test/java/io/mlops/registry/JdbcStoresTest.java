package io.mlops.registry;

import com.zaxxer.hikari.HikariDataSource;
import io.mlops.core.Dataset;
import io.mlops.core.StorageException;
import io.mlops.core.spi.BlobStore;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import io.mlops.data.spi.DatasetStore;
import io.mlops.registry.spi.ModelStore;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the JDBC stores promise beyond the contract kits, on PostgreSQL (skipped, saying so, when
 * the local server is not reachable) and SQLite: sections commit whole or not at all, the schema is
 * versioned, damage stays in its row, numbering never duplicates across registries, and alias moves
 * are announced.
 */
class JdbcStoresTest {

    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private DataSource database(String kind) {
        if (kind.equals("sqlite")) {
            HikariDataSource pool = TestDatabases.sqlite(dir.resolve("mlops.db"));
            toClose.add(pool);
            return pool;
        }
        TestDatabases.PostgresSchema schema = TestDatabases.postgres(getClass().getSimpleName()).orElse(null);
        Assumptions.assumeTrue(schema != null, "PostgreSQL not reachable at 127.0.0.1:5432");
        toClose.add(schema);
        return schema.dataSource();
    }

    private ModelRegistry registry(DataSource ds, BlobStore blobs) {
        return ModelRegistry.builder().store(ModelStore.jdbc(ds)).blobStore(blobs).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "sqlite"})
    void aSectionThatFailsCommitsNothing(String kind) throws IOException {
        DataSource ds = database(kind);
        ModelStore models = ModelStore.jdbc(ds);
        ModelVersion v = new ModelVersion("churn", "1.0.0", "a".repeat(64), 1, java.time.Instant.now(), Map.of(), Map.of());
        assertThatThrownBy(() -> models.writeLocked(() -> {
            models.put(v);
            models.appendEvent(new RegistryEvent(RegistryEvent.Type.REGISTERED, "churn", "1.0.0", null, null, java.time.Instant.now(), "me"));
            assertThat(models.versions("churn")).hasSize(1); // the section sees its own writes
            throw new IOException("disk full, say");
        })).hasMessageContaining("disk full");
        assertThat(models.versions("churn")).isEmpty();
        assertThat(models.models()).isEmpty();
        assertThat(models.events()).isEmpty();
        assertThat(models.find("churn", v.semanticVersion())).isEmpty();
        // and a later section starts clean
        models.writeLocked(() -> {
            models.put(v);
            models.appendEvent(new RegistryEvent(RegistryEvent.Type.REGISTERED, "churn", "1.0.0", null, null, java.time.Instant.now(), "me"));
            return null;
        });
        assertThat(models.versions("churn")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "sqlite"})
    void aSchemaNewerThanTheLibraryIsRefusedAndOpeningTwiceChangesNothing(String kind) throws Exception {
        DataSource ds = database(kind);
        ModelStore.jdbc(ds);
        ModelStore.jdbc(ds); // the second open finds version 3 and applies nothing
        DatasetStore.jdbc(ds);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT component, version FROM mlops_schema_version ORDER BY component");
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + "=" + rs.getInt(2));
            }
            assertThat(rows).containsExactly("data=2", "registry=3");
            s.executeUpdate("UPDATE mlops_schema_version SET version = 7 WHERE component = 'registry'");
        }
        assertThatThrownBy(() -> ModelStore.jdbc(ds)).isInstanceOf(StorageException.class)
                .hasMessageContaining("registry schema version 7").hasMessageContaining("upgrade mlops");
    }

    @Test
    void anUnreachableDatabaseIsAClearErrorNamingIt() {
        org.postgresql.ds.PGSimpleDataSource pool = new org.postgresql.ds.PGSimpleDataSource();
        pool.setURL("jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=2");
        assertThatThrownBy(() -> ModelStore.jdbc(pool)).isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot reach the registry database at jdbc:postgresql://127.0.0.1:1/test");
        assertThatThrownBy(() -> DatasetStore.jdbc(pool)).isInstanceOf(StorageException.class)
                .hasMessageContaining("data-versioning database at jdbc:postgresql://127.0.0.1:1/test");
    }

    @Test
    void aMissingDatabaseOrAnUnknownUserIsAClearErrorNamingIt() {
        Assumptions.assumeTrue(TestDatabases.postgres("JdbcStoresTest").map(s -> {
            toClose.add(s);
            return true;
        }).orElse(false), "PostgreSQL not reachable at 127.0.0.1:5432");
        for (String url : List.of("jdbc:postgresql://127.0.0.1:5432/no_such_database?user=postgres",
                "jdbc:postgresql://127.0.0.1:5432/test?user=no_such_role")) {
            org.postgresql.ds.PGSimpleDataSource pool = new org.postgresql.ds.PGSimpleDataSource();
            pool.setURL(url);
            assertThatThrownBy(() -> ModelStore.jdbc(pool)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("Cannot reach the registry database at " + url.substring(0, url.indexOf('?')));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "sqlite"})
    void aDamagedRowFailsOnlyItsVersion(String kind) throws Exception {
        DataSource ds = database(kind);
        ModelRegistry registry = registry(ds, BlobStore.inMemory());
        registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        registry.register("churn").version("1.1.0").artifact(new byte[] {2}).save();
        registry.register("fraud").version("1.0.0").artifact(new byte[] {3}).save();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE mlops_model_versions SET record = '{\"name\": 1' WHERE model = 'churn' AND version = '1.0.0'");
        }
        assertThatThrownBy(() -> registry.get("churn", "1.0.0")).isInstanceOf(StorageException.class)
                .hasMessageContaining("mlops_model_versions/churn/1.0.0");
        assertThat(registry.versions("churn")).extracting(ModelVersion::version).containsExactly("1.1.0");
        assertThat(registry.get("fraud", "1.0.0").version()).isEqualTo("1.0.0");
        assertThat(registry.verify()).singleElement().satisfies(p -> assertThat(p.toString()).contains("churn:1.0.0"));
        registry.delete("churn", "1.0.0", true);
        assertThat(registry.verify()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "sqlite"})
    void registriesOnOneDatabaseNeverHandOutTheSameNumber(String kind) throws Exception {
        DataSource ds = database(kind);
        BlobStore blobs = BlobStore.fileSystem(dir.resolve("blobs"));
        List<ModelRegistry> registries = List.of(registry(ds, blobs), registry(ds, blobs), registry(ds, blobs), registry(ds, blobs));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            ModelRegistry r = registries.get(t);
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                List<String> out = new ArrayList<>();
                for (int k = 0; k < 25; k++) {
                    out.add(r.register("shared").artifact(("t" + thread + "k" + k).getBytes()).save().version());
                }
                return out;
            }));
        }
        start.countDown();
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : futures) {
            all.addAll(f.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();
        assertThat(all).hasSize(100).doesNotHaveDuplicates();
        // auto numbers are contiguous: 1.0.0 .. 1.0.99 or 1.0.0, 1.1.0 ... whatever the policy, 100 distinct
        assertThat(registries.get(0).versions("shared")).hasSize(100);
        assertThat(registries.get(3).auditLog()).hasSize(100);
    }

    @Test
    void anAliasMoveInAnotherRegistryIsAnnouncedWithinMilliseconds() throws Exception {
        DataSource ds = database("postgresql");
        BlobStore blobs = BlobStore.inMemory();
        ModelRegistry writer = registry(ds, blobs);
        ModelRegistry follower = registry(ds, blobs);
        writer.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        CountDownLatch moved = new CountDownLatch(1);
        try (AutoCloseable watch = follower.watch(moved::countDown)) {
            long t0 = System.nanoTime();
            writer.setAlias("churn", "production", "1.0.0");
            assertThat(moved.await(2, TimeUnit.SECONDS)).as("notified within 2 s").isTrue();
            System.out.printf("alias move announced after %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            assertThat(follower.byAlias("churn", "production")).map(ModelVersion::version).contains("1.0.0");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "sqlite"})
    void dataCommitsAndLineageAreSharedByInstances(String kind) throws Exception {
        DataSource ds = database(kind);
        BlobStore blobs = BlobStore.fileSystem(dir.resolve("blobs"));
        DataVersioning a = DataVersioning.builder().store(DatasetStore.jdbc(ds)).blobStore(blobs).build();
        DataVersioning b = DataVersioning.builder().store(DatasetStore.jdbc(ds)).blobStore(blobs).build();
        Dataset raw = Dataset.builder().numeric("x", new double[] {1, 2, 3}).build();
        DatasetVersion v1 = a.commit("raw", raw).save();
        DatasetVersion v2 = b.commit("clean", Dataset.builder().numeric("x", new double[] {1, 2}).build()).parents(v1.id()).save();
        assertThat(a.descendants(v1.id())).extracting(DatasetVersion::id).containsExactly(v2.id());
        assertThat(b.load(v1.id())).isEqualTo(raw);
        assertThat(a.names()).containsExactly("clean", "raw");
    }
}
