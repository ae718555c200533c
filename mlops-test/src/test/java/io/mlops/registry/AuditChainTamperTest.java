package io.mlops.registry;

import io.mlops.core.ManualClock;
import io.mlops.core.spi.BlobStore;
import io.mlops.registry.spi.ModelStore;
import io.mlops.test.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The audit trail's hash chain on every store: in a 1,000-event trail, every single-event edit,
 * deletion and swap of neighbours is detected at the first event it breaks, on the file system
 * (edits to {@code audit.jsonl}), SQLite and PostgreSQL (edits to {@code mlops_registry_events};
 * skipped, saying so, when 127.0.0.1:5432 is not reachable); cutting the last event off, or
 * rewriting the trail and recomputing every hash, is detected against an exported head; the
 * untouched trail verifies, before and after every restore.
 */
class AuditChainTamperTest {

    static final int EVENTS = 1_000;

    @TempDir
    Path dir;

    /** The trail's events as the store keeps them, and a way to write them back in any order. */
    interface Rows extends AutoCloseable {
        List<String> read() throws Exception;

        void write(List<String> rows) throws Exception;
    }

    private ModelRegistry fill(ModelStore store) {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));
        ModelRegistry registry = ModelRegistry.builder().store(store).blobStore(BlobStore.fileSystem(dir.resolve("blobs")))
                .actor("alice").clock(clock).build();
        for (int v = 1; v <= 10; v++) {
            registry.register("churn").version(v + ".0.0").artifact(("model " + v).getBytes(StandardCharsets.UTF_8)).save();
            clock.advance(Duration.ofSeconds(1));
        }
        for (int i = 10; i < EVENTS; i++) {
            registry.setAlias("churn", "a" + (i % 7), ((i % 10) + 1) + ".0.0", "move " + i);
            clock.advance(Duration.ofSeconds(1));
        }
        return registry;
    }

    @ParameterizedTest
    @ValueSource(strings = {"filesystem", "sqlite", "postgres"})
    void everyEditDeletionAndSwapIsDetected(String kind) throws Exception {
        ModelStore store;
        Rows rows;
        AutoCloseable closer = () -> { };
        if (kind.equals("filesystem")) {
            Path root = dir.resolve("metadata");
            store = ModelStore.fileSystem(root);
            rows = fileRows(root.resolve("audit.jsonl"));
        } else if (kind.equals("sqlite")) {
            var pool = TestDatabases.sqlite(dir.resolve("registry.db"));
            closer = pool;
            store = ModelStore.jdbc(pool);
            rows = tableRows(pool);
        } else {
            Optional<TestDatabases.PostgresSchema> pg = TestDatabases.postgres("AuditChainTamperTest[postgres]");
            assumeTrue(pg.isPresent(), "SKIPPED: PostgreSQL not reachable at 127.0.0.1:5432");
            closer = pg.get();
            store = ModelStore.jdbc(pg.get().dataSource());
            rows = tableRows(pg.get().dataSource());
        }
        try (AutoCloseable c = closer) {
            ModelRegistry registry = fill(store);
            AuditVerification clean = registry.verifyAuditTrail();
            assertThat(clean.intact()).as(clean.problem()).isTrue();
            assertThat(clean.events()).isEqualTo(EVENTS);
            assertThat(clean.unchained()).isZero();
            AuditHead head = registry.auditHead().orElseThrow();
            assertThat(AuditHead.parse(head.toString())).isEqualTo(head);

            List<String> original = rows.read();
            assertThat(original).hasSize(EVENTS);
            int detected = 0;
            for (int i = 0; i < EVENTS; i++) {
                // an edit: the actor of event i
                List<String> edited = new ArrayList<>(original);
                assertThat(edited.get(i)).contains("\"actor\":\"alice\"");
                edited.set(i, edited.get(i).replace("\"actor\":\"alice\"", "\"actor\":\"mallory\""));
                detected += expectBroken(registry, rows, edited, i, head, "edit of event " + i);
                // a deletion
                List<String> deleted = new ArrayList<>(original);
                deleted.remove(i);
                detected += expectBroken(registry, rows, deleted, i == EVENTS - 1 ? -2 : i, head, "deletion of event " + i);
                // a swap with the next
                if (i + 1 < EVENTS) {
                    List<String> swapped = new ArrayList<>(original);
                    swapped.set(i, original.get(i + 1));
                    swapped.set(i + 1, original.get(i));
                    detected += expectBroken(registry, rows, swapped, i, head, "swap of events " + i + " and " + (i + 1));
                }
            }
            assertThat(detected).isEqualTo(3 * EVENTS - 1);
            rows.write(original);
            assertThat(registry.verifyAuditTrail(head).intact()).isTrue();
            rows.close();
        }
    }

    /**
     * Writes the tampered rows, checks the verdict, restores the original.
     *
     * @param at the first broken position expected; -2 when only the exported head can show it
     */
    private static int expectBroken(ModelRegistry registry, Rows rows, List<String> tampered, int at, AuditHead head,
                                    String what) throws Exception {
        List<String> original = rows.read();
        rows.write(tampered);
        try {
            AuditVerification v = at == -2 ? registry.verifyAuditTrail(head) : registry.verifyAuditTrail();
            assertThat(v.intact()).as(what).isFalse();
            assertThat(v.problem()).as(what).isNotBlank();
            if (at >= 0) {
                assertThat(v.firstBroken()).as(what).isEqualTo(at);
            } else {
                assertThat(registry.verifyAuditTrail().intact()).as(what + ": the chain alone cannot see a cut end").isTrue();
            }
            return 1;
        } finally {
            rows.write(original);
        }
    }

    private static Rows fileRows(Path audit) {
        return new Rows() {
            @Override
            public List<String> read() throws Exception {
                return Files.readAllLines(audit, StandardCharsets.UTF_8);
            }

            @Override
            public void write(List<String> rows) throws Exception {
                Files.write(audit, rows, StandardCharsets.UTF_8);
            }

            @Override
            public void close() {
            }
        };
    }

    private static Rows tableRows(DataSource ds) {
        return new Rows() {
            @Override
            public List<String> read() throws Exception {
                List<String> out = new ArrayList<>();
                try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT record FROM mlops_registry_events ORDER BY seq")) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }

            @Override
            public void write(List<String> rows) throws Exception {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement();
                         PreparedStatement p = c.prepareStatement("INSERT INTO mlops_registry_events (seq, record) VALUES (?, ?)")) {
                        s.executeUpdate("DELETE FROM mlops_registry_events");
                        for (int i = 0; i < rows.size(); i++) {
                            p.setLong(1, i + 1);
                            p.setString(2, rows.get(i));
                            p.addBatch();
                        }
                        p.executeBatch();
                    }
                    c.commit();
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
