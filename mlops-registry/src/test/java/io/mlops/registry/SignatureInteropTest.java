package io.mlops.registry;

import io.mlops.core.spi.BlobStore;
import io.mlops.registry.spi.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Other tools can verify our signatures: an independent verifier written in Python from the DSSE
 * and in-toto specifications, with only the {@code cryptography} package ({@code
 * src/test/python/verify_dsse.py}), verifies the envelope of a signed version against the
 * artifact's bytes and the PEM public key, and rejects it for other bytes or a flipped signature
 * bit. Skipped, saying so, without Debian's {@code /usr/bin/python3} and {@code python3-cryptography}.
 */
class SignatureInteropTest {

    @TempDir
    Path dir;

    private static boolean pythonWithCryptography() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import cryptography").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(Path... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", "src/test/python/verify_dsse.py"));
        for (Path a : args) {
            cmd.add(a.toString());
        }
        cmd.add("churn:1.0.0");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + " " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void anIndependentDsseVerifierAcceptsOurSignatureAndOnlyIt() throws Exception {
        if (!pythonWithCryptography()) {
            System.out.println("SKIPPED SignatureInteropTest: /usr/bin/python3 with python3-cryptography is not installed");
            assumeTrue(false, "SKIPPED: /usr/bin/python3 with python3-cryptography is not installed");
        }
        KeyPair k = SigningTest.keys();
        ModelRegistry r = ModelRegistry.builder().store(ModelStore.fileSystem(dir.resolve("metadata")))
                .blobStore(BlobStore.fileSystem(dir.resolve("blobs"))).build();
        byte[] artifact = "an onnx model, say".getBytes(StandardCharsets.UTF_8);
        r.register("churn").version("1.0.0").artifact(artifact).metadata("auc", 0.91).save();
        ModelSignature s = r.sign("churn", "1.0.0", ModelSigner.ed25519(k.getPrivate(), "release-2026"));
        Path envelope = Files.writeString(dir.resolve("envelope.json"), s.envelope());
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(k.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Path bytes = Files.write(dir.resolve("model.onnx"), artifact);
        assertThat(run(envelope, key, bytes)).isEqualTo("0 verified release-2026");
        Path other = Files.write(dir.resolve("other.onnx"), "other bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(run(envelope, key, other)).startsWith("1 ");
        String sig = s.envelope().replaceAll(".*\"sig\":\"([^\"]+)\".*", "$1");
        byte[] raw = Base64.getDecoder().decode(sig);
        raw[3] ^= 1;
        Path flipped = Files.writeString(dir.resolve("flipped.json"), s.envelope().replace(sig, Base64.getEncoder().encodeToString(raw)));
        assertThat(run(flipped, key, bytes)).isEqualTo("1 no signature verifies");
    }
}
