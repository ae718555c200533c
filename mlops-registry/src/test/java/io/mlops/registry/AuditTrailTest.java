package io.mlops.registry;

import io.mlops.core.ManualClock;
import io.mlops.core.spi.BlobStore;
import io.mlops.registry.spi.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit trail's hash chain through the registry: every kind of write is chained, concurrent
 * writers (threads, and two registries on one folder) still form one chain, events written before
 * the chain are counted and left unprotected, an unreadable line breaks the trail, a rewritten
 * trail with every hash recomputed passes the chain but not the exported head, and the head's text
 * form rejects what is not one. (Every single-event edit, deletion and swap of a 1,000-event trail
 * on each store: {@code AuditChainTamperTest} in mlops-test.)
 */
class AuditTrailTest {

    @TempDir
    Path dir;

    private ModelRegistry registry(Path root) {
        return ModelRegistry.builder().store(ModelStore.fileSystem(root.resolve("metadata")))
                .blobStore(BlobStore.fileSystem(root.resolve("blobs"))).actor("alice").build();
    }

    @Test
    void everyKindOfWriteIsChainedAndTheTrailVerifies() {
        ModelRegistry r = registry(dir);
        r.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        r.register("churn").version("1.0.0").artifact(new byte[] {2}).overwrite(true).save();
        r.register("churn").version("2.0.0").artifact(new byte[] {3}).save();
        r.setAlias("churn", "production", "1.0.0", "first");
        r.setAlias("churn", "production", "2.0.0");
        r.rollback("churn", "production", "bad");
        r.removeAlias("churn", "production");
        r.setAlias("churn", "staging", "2.0.0");
        r.delete("churn", "2.0.0", true);
        List<RegistryEvent> log = r.auditLog();
        assertThat(log).hasSize(10).allSatisfy(e -> assertThat(e.chainHash()).matches("[0-9a-f]{64}"));
        assertThat(log).extracting(RegistryEvent::chainHash).doesNotHaveDuplicates();
        AuditVerification v = r.verifyAuditTrail();
        assertThat(v.intact()).as(v.problem()).isTrue();
        assertThat(v.head()).isEqualTo(new AuditHead(10, log.get(9).chainHash()));
        assertThat(r.verifyAuditTrail(r.auditHead().orElseThrow()).intact()).isTrue();
    }

    @Test
    void concurrentWritersFormOneChain() throws Exception {
        ModelRegistry one = registry(dir);
        ModelRegistry two = registry(dir); // another registry on the same folder, as another process would be
        one.register("m").version("1.0.0").artifact(new byte[] {1}).save();
        one.register("m").version("2.0.0").artifact(new byte[] {2}).save();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ModelRegistry r = t % 2 == 0 ? one : two;
                int thread = t;
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        r.setAlias("m", "a" + thread, i % 2 == 0 ? "1.0.0" : "2.0.0");
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        AuditVerification v = two.verifyAuditTrail();
        assertThat(v.intact()).as(v.problem()).isTrue();
        assertThat(v.events()).isEqualTo(102);
    }

    @Test
    void eventsBeforeTheChainAreCountedAndAnUnreadableLineBreaksTheTrail() throws Exception {
        ModelRegistry r = registry(dir);
        r.register("m").version("1.0.0").artifact(new byte[] {1}).save();
        r.setAlias("m", "prod", "1.0.0");
        Path audit = dir.resolve("metadata/audit.jsonl");
        List<String> lines = Files.readAllLines(audit);
        // written by a release before the chain: no "chain" field
        List<String> old = new ArrayList<>();
        for (String line : lines) {
            old.add(line.replaceAll(",\"chain\":\"[0-9a-f]{64}\"", ""));
        }
        Files.write(audit, old);
        r.register("m").version("2.0.0").artifact(new byte[] {2}).save(); // after the upgrade
        AuditVerification v = r.verifyAuditTrail();
        assertThat(v.intact()).as(v.problem()).isTrue();
        assertThat(v.unchained()).isEqualTo(2);
        assertThat(v.events()).isEqualTo(3);
        // a damaged line in the middle
        List<String> now = Files.readAllLines(audit);
        now.add(1, "{\"format\":2,\"type\":\"ALIAS_MOVED\",\"mod");
        Files.write(audit, now);
        AuditVerification damaged = r.verifyAuditTrail();
        assertThat(damaged.intact()).isFalse();
        assertThat(damaged.problem()).contains("unreadable");
    }

    @Test
    void aRewrittenTrailWithRecomputedHashesFailsOnlyAgainstTheExportedHead() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));
        ModelRegistry r = ModelRegistry.builder().store(ModelStore.fileSystem(dir.resolve("a/metadata")))
                .blobStore(BlobStore.fileSystem(dir.resolve("a/blobs"))).actor("alice").clock(clock).build();
        r.register("m").version("1.0.0").artifact(new byte[] {1}).save();
        r.setAlias("m", "prod", "1.0.0", "approved");
        AuditHead head = r.auditHead().orElseThrow();
        // someone with write access replays the same history under another name, hashes and all
        ModelRegistry forged = ModelRegistry.builder().store(ModelStore.fileSystem(dir.resolve("b/metadata")))
                .blobStore(BlobStore.fileSystem(dir.resolve("b/blobs"))).actor("mallory").clock(
                        new ManualClock(Instant.parse("2026-12-07T00:00:00Z"))).build();
        forged.register("m").version("1.0.0").artifact(new byte[] {1}).save();
        forged.setAlias("m", "prod", "1.0.0", "approved");
        Files.copy(dir.resolve("b/metadata/audit.jsonl"), dir.resolve("a/metadata/audit.jsonl"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(r.verifyAuditTrail().intact()).as("a consistent chain").isTrue();
        AuditVerification v = r.verifyAuditTrail(head);
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBroken()).isEqualTo(1);
        assertThat(v.problem()).contains("rewritten");
    }

    @Test
    void anAuditHeadsTextIsCheckedStrictly() {
        AuditHead h = new AuditHead(3, "ab".repeat(32));
        assertThat(h.toString()).isEqualTo("mlops-audit-head:1:3:" + "ab".repeat(32));
        assertThat(AuditHead.parse(h.toString())).isEqualTo(h);
        for (String bad : List.of("", "mlops-audit-head:1:0:" + "ab".repeat(32), "mlops-audit-head:1:3:" + "AB".repeat(32),
                "mlops-audit-head:2:3:" + "ab".repeat(32), "mlops-audit-head:1:-3:" + "ab".repeat(32),
                "mlops-audit-head:1:3:" + "ab".repeat(32) + ":x", "mlops-audit-head:1:99999999999999999999:" + "ab".repeat(32),
                "x".repeat(10_000))) {
            assertThatThrownBy(() -> AuditHead.parse(bad)).as(bad.length() > 80 ? "long" : bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new String(h.toString().getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII)).isEqualTo(h.toString());
    }
}
