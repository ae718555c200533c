package io.mlops.registry;

import io.mlops.core.SemanticVersion;
import io.mlops.core.spi.BlobStore;
import io.mlops.registry.spi.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signed model versions and trust policies: a signature verifies under its key and under no other;
 * an alias with a policy refuses an unsigned version, one signed by a key not in the policy, one
 * whose bytes or metadata changed after signing, and every forged, truncated or malformed envelope
 * — each with the reason, nothing moved; signatures survive a restart, go with their version, are
 * completed from the audit log when a crash lost their file, and many threads sign at once.
 */
class SigningTest {

    @TempDir
    Path dir;

    static KeyPair keys() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private ModelRegistry registry() {
        return ModelRegistry.builder().store(ModelStore.fileSystem(dir.resolve("metadata")))
                .blobStore(BlobStore.fileSystem(dir.resolve("blobs"))).actor("alice").build();
    }

    private static void register(ModelRegistry r, String version, int b) {
        r.register("churn").version(version).artifact(new byte[] {(byte) b, 1, 2}).metadata("auc", 0.91).tag("format", "onnx").save();
    }

    @Test
    void aSignatureVerifiesUnderItsKeyAndNoOther() throws Exception {
        KeyPair release = keys();
        KeyPair other = keys();
        ModelRegistry r = registry();
        register(r, "1.0.0", 1);
        ModelSignature s = r.sign("churn", "1.0.0", ModelSigner.ed25519(release.getPrivate(), "release-2026"));
        assertThat(s.keyId()).isEqualTo("release-2026");
        assertThat(r.signatures("churn", "1.0.0")).containsExactly(s);
        SignatureCheck ok = r.verifySignatures("churn", "1.0.0", TrustPolicy.signedBy(other.getPublic(), release.getPublic()));
        assertThat(ok.trusted()).isTrue();
        assertThat(ok.keyFingerprint()).isEqualTo(TrustPolicy.fingerprint(release.getPublic()));
        SignatureCheck no = r.verifySignatures("churn", "1.0.0", TrustPolicy.signedBy(other.getPublic()));
        assertThat(no.trusted()).isFalse();
        assertThat(no.problems()).singleElement().asString().contains("release-2026").contains("no key of the policy");
        assertThat(r.auditLog()).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(RegistryEvent.Type.SIGNED);
            assertThat(e.reason()).isEqualTo("key release-2026");
        });
        assertThat(r.verifyAuditTrail().intact()).isTrue();
        // and in a new process
        assertThat(registry().verifySignatures("churn", "1.0.0", TrustPolicy.signedBy(release.getPublic())).trusted()).isTrue();
    }

    @Test
    void aProtectedAliasMovesOnlyToTrustedVersions() throws Exception {
        KeyPair release = keys();
        KeyPair stranger = keys();
        ModelRegistry r = registry().trustPolicy("production", TrustPolicy.signedBy(release.getPublic()));
        register(r, "1.0.0", 1);
        register(r, "2.0.0", 2);
        register(r, "3.0.0", 3);
        int events = r.auditLog().size();
        assertThatThrownBy(() -> r.setAlias("churn", "production", "1.0.0"))
                .isInstanceOf(UntrustedModelException.class).hasMessageContaining("not signed").hasMessageContaining("production");
        r.sign("churn", "2.0.0", ModelSigner.ed25519(stranger.getPrivate(), "stranger"));
        assertThatThrownBy(() -> r.setAlias("churn", "production", "2.0.0"))
                .isInstanceOf(UntrustedModelException.class).hasMessageContaining("stranger");
        assertThat(r.byAlias("churn", "production")).isEmpty();
        assertThat(r.auditLog()).hasSize(events + 1); // the stranger's SIGNED only
        r.sign("churn", "1.0.0", ModelSigner.ed25519(release.getPrivate(), "release"));
        r.sign("churn", "3.0.0", ModelSigner.ed25519(release.getPrivate(), "release"));
        r.setAlias("churn", "production", "1.0.0");
        r.setAlias("churn", "production", "3.0.0");
        r.setAlias("churn", "staging", "2.0.0"); // no policy there
        assertThat(r.rollback("churn", "production").version()).isEqualTo("1.0.0");
        // the version before was signed; re-registered bytes are not
        r.register("churn").version("1.0.0").artifact(new byte[] {9, 9}).metadata("auc", 0.91).tag("format", "onnx")
                .overwrite(true).save();
        r.setAlias("churn", "production", "3.0.0");
        assertThatThrownBy(() -> r.rollback("churn", "production"))
                .isInstanceOf(UntrustedModelException.class).hasMessageContaining("other bytes");
        assertThat(r.byAlias("churn", "production").orElseThrow().version()).isEqualTo("3.0.0");
        // removing the policy lifts it (on this instance only)
        assertThat(r.trustPolicy("production")).isPresent();
        r.trustPolicy("production", null);
        r.setAlias("churn", "production", "2.0.0");
    }

    /** Stores an envelope as the registry would, bypassing the signer. */
    private static void store(Path dir, String version, String envelope) throws Exception {
        ModelStore store = ModelStore.fileSystem(dir.resolve("metadata"));
        store.writeLocked(() -> {
            store.appendSignature("churn", SemanticVersion.parse(version), envelope);
            store.appendEvent(new RegistryEvent(RegistryEvent.Type.SIGNED, "churn", version, null, null,
                    java.time.Instant.now(), "mallory", "key forged"));
            return null;
        });
    }

    private static String envelope(String payloadType, byte[] payload, List<Map<String, Object>> signatures) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("payloadType", payloadType);
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        env.put("signatures", signatures);
        return io.mlops.core.Json.write(env, Integer.MAX_VALUE, "test envelope");
    }

    private static byte[] pae(String type, byte[] payload) {
        byte[] head = ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    private static String sig(KeyPair k, byte[] message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(k.getPrivate());
        s.update(message);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    @Test
    void forgedTruncatedAndMalformedEnvelopesAreEachAReasonNeverAMove() throws Exception {
        KeyPair release = keys();
        ModelRegistry r = registry();
        register(r, "1.0.0", 1);
        ModelSignature good = r.sign("churn", "1.0.0", ModelSigner.ed25519(release.getPrivate(), "release"));
        Map<?, ?> env = (Map<?, ?>) io.mlops.core.Json.read(good.envelope());
        byte[] payload = Base64.getDecoder().decode((String) env.get("payload"));
        String type = "application/vnd.in-toto+json";
        String realSig = (String) ((Map<?, ?>) ((List<?>) env.get("signatures")).get(0)).get("sig");
        byte[] sigBytes = Base64.getDecoder().decode(realSig);
        String statement = new String(payload, StandardCharsets.UTF_8);
        byte[] otherMetadata = statement.replace("0.91", "0.99").getBytes(StandardCharsets.UTF_8);
        byte[] otherVersion = statement.replace("churn:1.0.0", "churn:2.0.0").getBytes(StandardCharsets.UTF_8);
        byte[] flipped = sigBytes.clone();
        flipped[10] ^= 1;
        List<String> hostile = new ArrayList<>(List.of(
                envelope(type, payload, List.of(Map.of("keyid", "release", "sig", Base64.getEncoder().encodeToString(new byte[64])))),
                envelope(type, payload, List.of(Map.of("keyid", "release", "sig", Base64.getEncoder().encodeToString(
                        java.util.Arrays.copyOf(sigBytes, 32))))),
                envelope(type, payload, List.of(Map.of("keyid", "release", "sig", Base64.getEncoder().encodeToString(flipped)))),
                envelope(type, otherMetadata, List.of(Map.of("keyid", "release", "sig", sig(release, pae(type, otherMetadata))))),
                envelope(type, otherVersion, List.of(Map.of("keyid", "release", "sig", sig(release, pae(type, otherVersion))))),
                envelope("text/plain", payload, List.of(Map.of("keyid", "release", "sig", sig(release, pae("text/plain", payload))))),
                envelope(type, payload, List.of(Map.of("keyid", "release", "sig", "***not base64***"))),
                envelope(type, payload, List.of()),
                envelope(type, "not json".getBytes(StandardCharsets.UTF_8), List.of(Map.of("keyid", "r", "sig", realSig))),
                "{\"payloadType\": \"application/vnd.in-toto+json\", \"payload\": ",
                "[1, 2, 3]",
                "{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}",
                "x".repeat(1 << 20 + 1)));
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add(Map.of("keyid", "k" + i, "sig", realSig));
        }
        hostile.add(envelope(type, payload, many));
        // the same version, freshly registered under another name in the store, each hostile envelope alone
        for (int i = 0; i < hostile.size(); i++) {
            String version = "9.0." + i;
            register(r, version, 1);
            store(dir, version, hostile.get(i));
            SignatureCheck c = r.verifySignatures("churn", version, TrustPolicy.signedBy(release.getPublic()));
            assertThat(c.trusted()).as("hostile envelope %d", i).isFalse();
            assertThat(c.problems()).as("hostile envelope %d", i).isNotEmpty();
            ModelRegistry guarded = registry().trustPolicy("production", TrustPolicy.signedBy(release.getPublic()));
            assertThatThrownBy(() -> guarded.setAlias("churn", "production", version)).as("hostile envelope %d", i)
                    .isInstanceOf(UntrustedModelException.class);
        }
        // a hostile envelope beside a good one does not stop the good one from counting
        store(dir, "1.0.0", hostile.get(0));
        assertThat(r.verifySignatures("churn", "1.0.0", TrustPolicy.signedBy(release.getPublic())).trusted()).isTrue();
        assertThat(r.byAlias("churn", "production")).isEmpty();
    }

    @Test
    void signaturesGoWithTheirVersionAndAreCompletedFromTheAuditLog() throws Exception {
        KeyPair release = keys();
        ModelRegistry r = registry();
        register(r, "1.0.0", 1);
        register(r, "2.0.0", 2);
        r.sign("churn", "1.0.0", ModelSigner.ed25519(release.getPrivate(), "release"));
        r.sign("churn", "2.0.0", ModelSigner.ed25519(release.getPrivate(), "release"));
        // a crash after the SIGNED event's commit, before its file was written
        Path file = dir.resolve("metadata/models/churn/signatures/2.0.0.jsonl");
        assertThat(file).exists();
        Files.delete(file);
        Files.writeString(dir.resolve("metadata/checkpoint"), "0"); // the last checkpoint was before it
        ModelRegistry reopened = registry();
        register(reopened, "3.0.0", 3); // the next write completes what the crash left
        assertThat(reopened.verifySignatures("churn", "2.0.0", TrustPolicy.signedBy(release.getPublic())).trusted()).isTrue();
        reopened.delete("churn", "1.0.0");
        assertThat(dir.resolve("metadata/models/churn/signatures/1.0.0.jsonl")).doesNotExist();
        register(reopened, "1.0.0", 1); // the same bytes again: unsigned until signed again
        assertThat(reopened.signatures("churn", "1.0.0")).isEmpty();
    }

    @Test
    void aRegistrationSignedAsItIsSavedCommitsWithItsSignature() throws Exception {
        KeyPair release = keys();
        ModelRegistry r = registry();
        ModelVersion v = r.register("churn").version("1.0.0").artifact(new byte[] {7}).metadata("auc", 0.9)
                .signedBy(ModelSigner.ed25519(release.getPrivate(), "release")).save();
        assertThat(r.verifySignatures("churn", v.version(), TrustPolicy.signedBy(release.getPublic())).trusted()).isTrue();
        assertThat(r.auditLog()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(RegistryEvent.Type.REGISTERED);
            assertThat(e.reason()).isEqualTo("signed by key release");
        });
        // the signature's file lost to a crash (written after the audit line, not fsync'd): completed from the line
        Files.delete(dir.resolve("metadata/models/churn/signatures/1.0.0.jsonl"));
        Files.writeString(dir.resolve("metadata/checkpoint"), "0");
        ModelRegistry reopened = registry();
        assertThat(reopened.verifySignatures("churn", "1.0.0", TrustPolicy.signedBy(release.getPublic())).trusted()).isTrue();
        // in memory too
        ModelRegistry memory = ModelRegistry.builder().store(ModelStore.inMemory()).blobStore(BlobStore.inMemory()).build();
        memory.register("m").artifact(new byte[] {1}).signedBy(ModelSigner.ed25519(release.getPrivate(), "release")).save();
        assertThat(memory.verifySignatures("m", "1.0.0", TrustPolicy.signedBy(release.getPublic())).trusted()).isTrue();
    }

    @Test
    void manyThreadsSignAtOnce() throws Exception {
        KeyPair release = keys();
        ModelRegistry r = registry();
        for (int v = 0; v < 8; v++) {
            register(r, v + ".0.0", v);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int v = 0; v < 8; v++) {
                String version = v + ".0.0";
                all.add(pool.submit(() -> r.sign("churn", version, ModelSigner.ed25519(release.getPrivate(), "release"))));
                all.add(pool.submit(() -> r.sign("churn", version, ModelSigner.ed25519(release.getPrivate(), "second"))));
            }
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int v = 0; v < 8; v++) {
            assertThat(r.signatures("churn", v + ".0.0")).extracting(ModelSignature::keyId).containsExactlyInAnyOrder("release", "second");
        }
        assertThat(r.verifyAuditTrail().intact()).isTrue();
    }

    @Test
    void keysAreCheckedWhereTheyEnter() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> ModelSigner.ed25519(ec.getPrivate(), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustPolicy.signedBy(ec.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(TrustPolicy::signedBy).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelSigner.ed25519(keys().getPrivate(), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelSigner.ed25519(keys().getPrivate(), "bad\nid")).isInstanceOf(IllegalArgumentException.class);
        KeyPair k = keys();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(k.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertThat(TrustPolicy.readPublicKey(pem).getEncoded()).isEqualTo(k.getPublic().getEncoded());
        String secret = Base64.getEncoder().encodeToString(k.getPrivate().getEncoded());
        assertThat(ModelSigner.readPrivateKey(secret).getEncoded()).isEqualTo(k.getPrivate().getEncoded());
        assertThatThrownBy(() -> TrustPolicy.readPublicKey("garbage")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelSigner.readPrivateKey(secret.substring(0, 20) + "AAAA"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(secret.substring(0, 20));
        assertThatThrownBy(() -> ModelSigner.readPrivateKey(pem)).isInstanceOf(IllegalArgumentException.class);
    }
}
