package io.mlops.serving.internal;

import io.mlops.serving.spi.EmbeddedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Reads the body of a request a host handed over ({@link EmbeddedRequest#body()}) on the host's
 * request thread, with the limits of {@link BodyReader}: an announced length over the limit is 413
 * before a byte is read; memory follows the bytes received ({@link RequestBody}), block by block
 * reserved in the server's {@link BodyBudget} (503 with {@code Retry-After} when it is spent); more
 * bytes than the limit is 413 after reading one byte past it; a body still arriving after the request
 * timeout is 408 at the next block (a stall inside one read is the host's read timeout to end);
 * a body the host cannot give is 400.
 */
final class StreamBodyReader {

    private static final int BLOCK = 16 * 1024;

    private StreamBodyReader() {
    }

    static void read(Exchange ex, EmbeddedRequest request, long max, Duration requestTimeout, BodyReader.Then then)
            throws HttpError {
        if (request.contentLength() > max) { // checked again below: the announced length is not trusted
            throw Exchange.tooLarge(max);
        }
        long deadline = ex.started + requestTimeout.toNanos();
        RequestBody body = new RequestBody();
        long announced = request.contentLength();
        byte[] block = new byte[(int) Math.min(Math.min(BLOCK, max + 1), announced >= 0 ? announced + 1 : BLOCK)];
        try (InputStream in = request.body()) {
            while (true) {
                int n = in.read(block, 0, (int) Math.min(block.length, max + 1 - body.length()));
                if (n < 0) {
                    break;
                }
                long before = body.capacity();
                body.add(ByteBuffer.wrap(block, 0, n));
                if (body.length() > max) {
                    throw Exchange.tooLarge(max);
                }
                if (!ex.reserveBody(body.capacity() - before)) {
                    ex.budgetSpent();
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    ex.bodyTimedOut(requestTimeout);
                    return;
                }
            }
        } catch (IOException e) {
            ex.bodyUnreadable();
            return;
        }
        then.accept(body);
    }
}
