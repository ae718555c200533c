package io.mlops.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Both Ed25519 implementations agree: RFC 8032's first test vector, and for random keys and
 * messages the same signature bytes, each verifying the other's; a changed bit or a short signature
 * verifies under neither.
 */
class Ed25519Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void bouncyCastleIsUsedWhenPresent() {
        // the registry's tests have the optional dependency: the fast path is the one tested everywhere else
        assertThat(Ed25519.implementation()).isEqualTo("bouncycastle");
    }

    @Test
    void rfc8032TestVectorOne() throws Exception {
        PrivateKey sk = KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519,
                HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
        PublicKey pk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                HEX.parseHex("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")));
        String expected = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

        assertThat(HEX.formatHex(Ed25519.sign(sk, new byte[0]))).isEqualTo(expected);
        assertThat(HEX.formatHex(Ed25519.jdkSign(sk, new byte[0]))).isEqualTo(expected);
        assertThat(Ed25519.verify(pk, new byte[0], HEX.parseHex(expected))).isTrue();
        assertThat(Ed25519.jdkVerify(pk, new byte[0], HEX.parseHex(expected))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void bothImplementationsSignAlikeAndVerifyEachOther(long seed) throws Exception {
        Random random = new Random(seed);
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] message = new byte[random.nextInt(2_000)];
        random.nextBytes(message);

        byte[] fast = Ed25519.sign(keys.getPrivate(), message);
        byte[] jdk = Ed25519.jdkSign(keys.getPrivate(), message);
        assertThat(fast).isEqualTo(jdk);
        assertThat(Ed25519.verify(keys.getPublic(), message, jdk)).isTrue();
        assertThat(Ed25519.jdkVerify(keys.getPublic(), message, fast)).isTrue();

        byte[] flipped = fast.clone();
        flipped[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        assertThat(Ed25519.verify(keys.getPublic(), message, flipped)).isFalse();
        assertThat(jdkVerifies(keys.getPublic(), message, flipped)).isFalse();
        assertThat(Ed25519.verify(keys.getPublic(), message, java.util.Arrays.copyOf(fast, 63))).isFalse();
        byte[] other = message.clone();
        if (other.length > 0) {
            other[0] ^= 1;
            assertThat(Ed25519.verify(keys.getPublic(), other, fast)).isFalse();
        }
        PublicKey stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        assertThat(Ed25519.verify(stranger, message, fast)).isFalse();
    }

    /** The JDK throws on some malformed signatures ("Invalid point"): that is not verifying either. */
    private static boolean jdkVerifies(PublicKey key, byte[] message, byte[] signature) {
        try {
            return Ed25519.jdkVerify(key, message, signature);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
