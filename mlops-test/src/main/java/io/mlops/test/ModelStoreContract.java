package io.mlops.test;

import io.mlops.registry.spi.ModelStore;
import io.mlops.core.SemanticVersion;
import io.mlops.core.internal.io.Sha256;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compatibility kit every {@link ModelStore} backend passes.
 *
 * @since 0.1.0
 */
public abstract class ModelStoreContract {

    /**
     * Makes an empty store of the backend under test, for each test.
     *
     * @return the store
     * @throws IOException when it cannot be made
     */
    protected abstract ModelStore newStore() throws IOException;

    /** The store under test, made by {@code newStore()} before each test. */
    protected ModelStore store;

    @BeforeEach
    void createStore() throws IOException {
        store = newStore();
    }

    /**
     * A version record whose artifact digest derives from {@code content}.
     *
     * @param name the model
     * @param version the version
     * @param content stands for the artifact
     * @return the record
     */
    protected static ModelVersion version(String name, String version, String content) {
        return new ModelVersion(name, version, Sha256.hex(content.getBytes()), content.length(),
                Instant.parse("2026-11-26T10:15:30.123456789Z"),
                Map.of("accuracy", 0.95, "features", List.of("a", "b"), "nested", Map.of("k", 1)),
                Map.of("algorithm", "RandomForest"));
    }

    @Test
    void putThenFindGivesBackEveryField() throws IOException {
        ModelVersion v = version("churn", "1.2.3-rc.1+build.5", "artifact");
        store.put(v);
        assertThat(store.find("churn", SemanticVersion.parse("1.2.3-rc.1+build.5"))).contains(v);
        assertThat(store.find("churn", SemanticVersion.parse("1.2.3"))).isEmpty();
        assertThat(store.find("other", SemanticVersion.parse("1.2.3"))).isEmpty();
    }

    @Test
    void versionsAreInSemVerOrderAndModelsSorted() throws IOException {
        for (String v : List.of("1.10.0", "1.9.0", "2.0.0-alpha", "1.10.0-rc.1", "0.1.0")) {
            store.put(version("churn", v, v));
        }
        store.put(version("b_model", "1.0.0", "x"));
        assertThat(store.versions("churn")).extracting(SemanticVersion::toString)
                .containsExactly("0.1.0", "1.9.0", "1.10.0-rc.1", "1.10.0", "2.0.0-alpha");
        assertThat(store.models()).containsExactly("b_model", "churn");
        assertThat(store.versions("unknown")).isEmpty();
    }

    @Test
    void putReplacesAndDeleteRemoves() throws IOException {
        store.put(version("m", "1.0.0", "first"));
        store.put(version("m", "1.0.0", "second"));
        assertThat(store.find("m", SemanticVersion.parse("1.0.0")).orElseThrow().sha256()).isEqualTo(Sha256.hex("second".getBytes()));
        assertThat(store.versions("m")).hasSize(1);

        assertThat(store.delete("m", SemanticVersion.parse("1.0.0"))).isTrue();
        assertThat(store.delete("m", SemanticVersion.parse("1.0.0"))).isFalse();
        assertThat(store.find("m", SemanticVersion.parse("1.0.0"))).isEmpty();
        assertThat(store.models()).doesNotContain("m");
    }

    @Test
    void namesThatWouldCollideInAFlatLayoutStayDistinct() throws IOException {
        store.put(version("a_b", "1.0.0", "one"));
        store.put(version("a", "1.0.0", "two"));
        store.appendAliasChange(new AliasChange("a_b", "c", null, "1.0.0", Instant.EPOCH, null));
        store.appendAliasChange(new AliasChange("a", "b_c", null, "1.0.0", Instant.EPOCH, null));
        assertThat(store.find("a_b", SemanticVersion.parse("1.0.0")).orElseThrow().sha256()).isEqualTo(Sha256.hex("one".getBytes()));
        assertThat(store.find("a", SemanticVersion.parse("1.0.0")).orElseThrow().sha256()).isEqualTo(Sha256.hex("two".getBytes()));
        assertThat(store.aliasNames("a_b")).containsExactly("c");
        assertThat(store.aliasNames("a")).containsExactly("b_c");
    }

    @Test
    void aliasHistoryKeepsEveryMoveInOrder() throws IOException {
        AliasChange first = new AliasChange("m", "production", null, "1.0.0", Instant.parse("2026-01-01T00:00:00Z"), "ci");
        AliasChange second = new AliasChange("m", "production", "1.0.0", "1.1.0", Instant.parse("2026-02-01T00:00:00Z"), null,
                "canary passed: error rate 0.010 vs 0.011 <\"quoted\">\nsecond line");
        AliasChange removed = new AliasChange("m", "production", "1.1.0", null, Instant.parse("2026-03-01T00:00:00Z"), "ops");
        store.appendAliasChange(first);
        store.appendAliasChange(second);
        store.appendAliasChange(removed);
        store.appendAliasChange(new AliasChange("m", "staging", null, "1.1.0", Instant.EPOCH, null));

        assertThat(store.aliasHistory("m", "production")).containsExactly(first, second, removed);
        assertThat(store.aliasNames("m")).containsExactly("production", "staging");
        assertThat(store.aliasHistory("m", "canary")).isEmpty();
    }

    @Test
    void signaturesAreKeptPerVersionInOrderAndGoWithIt() throws IOException {
        SemanticVersion one = SemanticVersion.parse("1.0.0");
        store.put(version("m", "1.0.0", "first"));
        store.put(version("m", "2.0.0", "second"));
        store.writeLocked(() -> {
            for (String envelope : List.of("{\"sig\":1}", "{\"sig\":2}")) {
                store.appendSignature("m", one, envelope);
                store.appendEvent(new RegistryEvent(RegistryEvent.Type.SIGNED, "m", "1.0.0", null, null, Instant.EPOCH, "me",
                        "key k"));
            }
            return null;
        });
        assertThat(store.signatures("m", one)).containsExactly("{\"sig\":1}", "{\"sig\":2}");
        assertThat(store.signatures("m", SemanticVersion.parse("2.0.0"))).isEmpty();
        store.writeLocked(() -> {
            store.delete("m", one);
            store.appendEvent(new RegistryEvent(RegistryEvent.Type.DELETED, "m", "1.0.0", null, null, Instant.EPOCH, "me"));
            return null;
        });
        assertThat(store.signatures("m", one)).as("removed with the version").isEmpty();
    }

    @Test
    void valuesAreSetByCompareAndSetOnly() throws IOException {
        assertThat(store.value("webhook.ci.position")).isEmpty();
        assertThat(store.writeLocked(() -> store.compareAndSetValue("webhook.ci.position", null, "3"))).isTrue();
        assertThat(store.writeLocked(() -> store.compareAndSetValue("webhook.ci.position", null, "4"))).as("set already").isFalse();
        assertThat(store.writeLocked(() -> store.compareAndSetValue("webhook.ci.position", "2", "4"))).as("stale").isFalse();
        assertThat(store.writeLocked(() -> store.compareAndSetValue("webhook.ci.position", "3", "4"))).isTrue();
        assertThat(store.value("webhook.ci.position")).contains("4");
    }

    @Test
    void theLastEventIsTheNewestWithItsChainHash() throws IOException {
        assertThat(store.lastEvent()).isEmpty();
        RegistryEvent a = new RegistryEvent(RegistryEvent.Type.REGISTERED, "m", "1.0.0", null, null, Instant.EPOCH, "me",
                null, "a".repeat(64));
        RegistryEvent b = new RegistryEvent(RegistryEvent.Type.ALIAS_MOVED, "m", "1.0.0", "prod", null, Instant.EPOCH, null,
                null, "b".repeat(64));
        store.appendEvent(a);
        store.appendEvent(b);
        assertThat(store.lastEvent()).contains(b);
        assertThat(store.events()).containsExactly(a, b);
    }

    @Test
    void eventsAreKeptInOrder() throws IOException {
        RegistryEvent a = new RegistryEvent(RegistryEvent.Type.REGISTERED, "m", "1.0.0", null, null, Instant.EPOCH, "me");
        RegistryEvent b = new RegistryEvent(RegistryEvent.Type.ALIAS_MOVED, "m", "1.0.0", "prod", null, Instant.EPOCH, null,
                "promoted by the canary analysis");
        store.appendEvent(a);
        store.appendEvent(b);
        assertThat(store.events()).containsExactly(a, b);
    }

    @Test
    void findsWhetherAnArtifactIsReferenced() throws IOException {
        ModelVersion v = version("m", "1.0.0", "shared");
        store.put(v);
        store.put(version("n", "2.0.0", "shared"));
        assertThat(store.isArtifactReferenced(v.sha256())).isTrue();
        store.delete("m", SemanticVersion.parse("1.0.0"));
        assertThat(store.isArtifactReferenced(v.sha256())).isTrue();
        store.delete("n", SemanticVersion.parse("2.0.0"));
        assertThat(store.isArtifactReferenced(v.sha256())).isFalse();
    }

    @Test
    void writeLockedSectionsExcludeEachOther() throws Exception {
        assertThat(io.mlops.test.Concurrency.mostInsideAtOnce(6, 20, store::writeLocked)).isEqualTo(1);
    }
}
