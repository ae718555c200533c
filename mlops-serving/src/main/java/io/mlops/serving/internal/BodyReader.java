package io.mlops.serving.internal;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body without holding a thread while the client is slow: chunks are taken as they
 * come, and Jetty calls back when more arrives. Memory follows the bytes received, never the
 * announced length ({@link RequestBody}), and every body's blocks are reserved in the server's
 * {@link BodyBudget} as they are allocated: when the budget is spent the request is 503 with
 * {@code Retry-After} (and its connection closed). Over the size limit is 413, slower than the
 * request timeout is 408 (and the connection is closed); then what was asked is done with the body.
 * It knows no endpoint.
 */
final class BodyReader {

    /** What is done with a body once all of it arrived (it answers the exchange). */
    interface Then {
        void accept(RequestBody body) throws HttpError;
    }

    private BodyReader() {
    }

    static void read(Exchange ex, long max, Duration requestTimeout, Then then) throws HttpError {
        org.eclipse.jetty.server.Request request = ((JettyWire) ex.wire).request;
        long declared = request.getLength();
        if (declared > max) {
            throw Exchange.tooLarge(max);
        }
        Scheduler.Task timeout = request.getComponents().getScheduler().schedule(() -> {
            if (!ex.done.get()) {
                ex.bodyTimedOut(requestTimeout);
            }
        }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        RequestBody body = new RequestBody();
        Runnable reader = new Runnable() {
            @Override
            public void run() {
                try {
                    while (!ex.done.get()) {
                        Content.Chunk chunk = request.read();
                        if (chunk == null) {
                            request.demand(this);
                            return;
                        }
                        if (Content.Chunk.isFailure(chunk)) {
                            timeout.cancel();
                            ex.bodyUnreadable();
                            return;
                        }
                        ByteBuffer bytes = chunk.getByteBuffer();
                        if (body.length() + (long) bytes.remaining() > max) {
                            chunk.release();
                            timeout.cancel();
                            ex.error(Exchange.tooLarge(max));
                            return;
                        }
                        long before = body.capacity();
                        body.add(bytes);
                        boolean last = chunk.isLast();
                        chunk.release();
                        if (!ex.reserveBody(body.capacity() - before)) {
                            timeout.cancel();
                            ex.budgetSpent();
                            return;
                        }
                        if (last) {
                            timeout.cancel();
                            then.accept(body);
                            return;
                        }
                    }
                } catch (HttpError e) {
                    ex.error(e);
                } catch (RuntimeException | Error e) {
                    ex.internalError(e);
                }
            }
        };
        reader.run();
    }
}
