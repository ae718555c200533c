package io.mlops.registry.internal;

/**
 * The only class that names Bouncy Castle: loaded only when {@link Ed25519} found it on the class
 * path, so the registry runs without it.
 */
final class BouncyCastleEd25519 {

    private BouncyCastleEd25519() {
    }

    static byte[] sign(byte[] seed, byte[] message) {
        byte[] sig = new byte[64];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    }
}
