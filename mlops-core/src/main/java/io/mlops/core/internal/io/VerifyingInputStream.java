package io.mlops.core.internal.io;

import io.mlops.core.IntegrityException;
import io.mlops.core.internal.io.Sha256;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Digests everything read through it and, at the end of the stream, throws
 * {@link IntegrityException} when the digest is not the expected one. Skips are read through, so
 * that a skipping reader is verified too.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final String expected;
    private final String what;
    private final MessageDigest digest = Sha256.newDigest();
    private boolean verified;

    /**
     * Creates the verifying input stream.
     *
     * @param in the stored bytes
     * @param expectedSha256 what they must digest to
     * @param what names the source in the exception message
     */
    VerifyingInputStream(InputStream in, String expectedSha256, String what) {
        super(in);
        this.expected = expectedSha256;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            verify();
        } else {
            digest.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // unsupported: a reset would make the digest wrong
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void verify() {
        if (verified) {
            return;
        }
        verified = true;
        String actual = Sha256.hex(digest);
        if (!actual.equals(expected)) {
            throw new IntegrityException("Integrity check failed for " + what + ": expected SHA-256 "
                    + expected + " but the stored bytes digest to " + actual);
        }
    }
}
