package io.mlops.core.internal.io;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Stream wrappers shared by the modules. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class Streams {

    private Streams() {
    }

    /**
     * Wraps a stream so that closing the wrapper only flushes: for handing a stream to code (a
     * codec, a CSV writer) that closes what it is given, while the caller still has work to do on
     * it (an fsync, more writes).
     *
     * @param out the stream
     * @return the wrapper
     */
    public static OutputStream nonClosing(OutputStream out) {
        Objects.requireNonNull(out, "out");
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /**
     * Wraps a stream so that closing the wrapper does nothing: for reading a caller's stream that
     * the caller keeps ownership of.
     *
     * @param in the stream
     * @return the wrapper
     */
    public static InputStream nonClosing(InputStream in) {
        Objects.requireNonNull(in, "in");
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        };
    }

    /**
     * Wraps a stream of a blob's bytes so that reading it verifies them: at the end of the stream
     * (at the latest), bytes whose SHA-256 is not {@code expectedSha256} throw an
     * {@link io.mlops.core.IntegrityException}. For {@code BlobStore} implementations.
     *
     * @param in the stored bytes
     * @param expectedSha256 the digest they must have, 64 lowercase hex digits
     * @param what names the blob in the exception's message
     * @return the verifying stream; closing it closes {@code in}
     */
    public static InputStream verifying(InputStream in, String expectedSha256, String what) {
        return new VerifyingInputStream(in, expectedSha256, what);
    }
}
