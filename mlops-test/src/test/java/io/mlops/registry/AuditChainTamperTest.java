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

    /**
     * The trail's events as the store keeps them, and single-event tampering with a restore: the
     * file is rewritten whole, a table row is changed, removed or swapped in place.
     */
    interface Rows extends AutoCloseable {
        List<String> read() throws Exception;

        void edit(int i, String record) throws Exception;

        void delete(int i) throws Exception;

        void swap(int i, int j) throws Exception;

        void restore() throws Exception;

        @Override
        default void close() {
        }
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
        DataSource sqlite = null;
        DataSource postgres = null;
        AutoCloseable closer = () -> { };
        if (kind.equals("filesystem")) {
            Path root = dir.resolve("metadata");
            store = ModelStore.fileSystem(root);
        } else if (kind.equals("sqlite")) {
            var pool = TestDatabases.sqlite(dir.resolve("registry.db"));
            sqlite = pool;
            closer = pool;
            store = ModelStore.jdbc(pool);
        } else {
            Optional<TestDatabases.PostgresSchema> pg = TestDatabases.postgres("AuditChainTamperTest[postgres]");
            assumeTrue(pg.isPresent(), "SKIPPED: PostgreSQL not reachable at 127.0.0.1:5432");
            closer = pg.get();
            postgres = pg.get().dataSource();
            store = ModelStore.jdbc(pg.get().dataSource());
        }
        try (AutoCloseable c = closer) {
            ModelRegistry registry = fill(store);
            Rows rows = kind.equals("filesystem") ? fileRows(dir.resolve("metadata/audit.jsonl"))
                    : tableRows(kind.equals("sqlite") ? sqlite : postgres);
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
                int at = i;
                assertThat(original.get(i)).contains("\"actor\":\"alice\"");
                String edited = original.get(i).replace("\"actor\":\"alice\"", "\"actor\":\"mallory\"");
                detected += expectBroken(registry, rows, () -> rows.edit(at, edited), i, head, "edit of event " + i);
                detected += expectBroken(registry, rows, () -> rows.delete(at), i == EVENTS - 1 ? -2 : i, head,
                        "deletion of event " + i);
                if (i + 1 < EVENTS) {
                    detected += expectBroken(registry, rows, () -> rows.swap(at, at + 1), i, head,
                            "swap of events " + i + " and " + (i + 1));
                }
            }
            assertThat(detected).isEqualTo(3 * EVENTS - 1);
            assertThat(rows.read()).isEqualTo(original);
            assertThat(registry.verifyAuditTrail(head).intact()).isTrue();
        }
    }

    /** A tampering. */
    interface Tamper {
        void apply() throws Exception;
    }

    /**
     * Tampers, checks the verdict, restores the original.
     *
     * @param at the first broken position expected; -2 when only the exported head can show it
     */
    private static int expectBroken(ModelRegistry registry, Rows rows, Tamper tamper, int at, AuditHead head,
                                    String what) throws Exception {
        tamper.apply();
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
            rows.restore();
        }
    }

    private static Rows fileRows(Path audit) throws Exception {
        List<String> original = Files.readAllLines(audit, StandardCharsets.UTF_8);
        return new Rows() {
            @Override
            public List<String> read() throws Exception {
                return Files.readAllLines(audit, StandardCharsets.UTF_8);
            }

            private void write(java.util.function.Consumer<List<String>> change) throws Exception {
                List<String> lines = new ArrayList<>(original);
                change.accept(lines);
                Files.write(audit, lines, StandardCharsets.UTF_8);
            }

            @Override
            public void edit(int i, String record) throws Exception {
                write(l -> l.set(i, record));
            }

            @Override
            public void delete(int i) throws Exception {
                write(l -> l.remove(i));
            }

            @Override
            public void swap(int i, int j) throws Exception {
                write(l -> java.util.Collections.swap(l, i, j));
            }

            @Override
            public void restore() throws Exception {
                Files.write(audit, original, StandardCharsets.UTF_8);
            }
        };
    }

    /** The rows of mlops_registry_events, changed one at a time and put back the same way. */
    private static Rows tableRows(DataSource ds) throws Exception {
        List<Long> seqs = new ArrayList<>();
        List<String> original = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, record FROM mlops_registry_events ORDER BY seq")) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
                original.add(rs.getString(2));
            }
        }
        List<Runnable> undo = new ArrayList<>();
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

            private void sql(String statement, Object... args) throws Exception {
                try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(statement)) {
                    for (int k = 0; k < args.length; k++) {
                        p.setObject(k + 1, args[k]);
                    }
                    p.executeUpdate();
                }
            }

            private void set(int i, String record) throws Exception {
                sql("UPDATE mlops_registry_events SET record = ? WHERE seq = ?", record, seqs.get(i));
            }

            @Override
            public void edit(int i, String record) throws Exception {
                set(i, record);
                undo.add(() -> unchecked(() -> set(i, original.get(i))));
            }

            @Override
            public void delete(int i) throws Exception {
                sql("DELETE FROM mlops_registry_events WHERE seq = ?", seqs.get(i));
                undo.add(() -> unchecked(() -> sql("INSERT INTO mlops_registry_events (seq, record) VALUES (?, ?)", seqs.get(i),
                        original.get(i))));
            }

            @Override
            public void swap(int i, int j) throws Exception {
                set(i, original.get(j));
                set(j, original.get(i));
                undo.add(() -> unchecked(() -> {
                    set(i, original.get(i));
                    set(j, original.get(j));
                }));
            }

            @Override
            public void restore() {
                undo.forEach(Runnable::run);
                undo.clear();
            }
        };
    }

    private static void unchecked(Tamper t) {
        try {
            t.apply();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
