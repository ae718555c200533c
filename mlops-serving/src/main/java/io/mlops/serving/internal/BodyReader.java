package io.mlops.serving.internal;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body without holding a thread while the client is slow: chunks are taken as they
 * come, and Jetty calls back when more arrives. Over the size limit is 413, slower than the request
 * timeout is 408 (and the connection is closed); then the endpoint runs and answers.
 */
final class BodyReader {

    /** What an endpoint does with a parsed body. */
    interface Work {
        PredictEndpoints.Result apply(Object json) throws HttpError;
    }

    private BodyReader() {
    }

    static void read(Exchange ex, long max, Duration requestTimeout, Work work) throws HttpError {
        long declared = ex.request.getLength();
        if (declared > max) {
            throw new HttpError(413, "request body over " + max + " bytes");
        }
        Scheduler.Task timeout = ex.request.getComponents().getScheduler().schedule(() -> {
            if (!ex.done.get()) {
                ex.send(408, "application/json", Exchange.jsonBytes(Map.of("error", "the request body did not arrive within "
                        + requestTimeout.toMillis() + " ms")), true);
            }
        }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        Runnable reader = new Runnable() {
            @Override
            public void run() {
                try {
                    while (!ex.done.get()) {
                        Content.Chunk chunk = ex.request.read();
                        if (chunk == null) {
                            ex.request.demand(this);
                            return;
                        }
                        if (Content.Chunk.isFailure(chunk)) {
                            timeout.cancel();
                            ex.send(400, "application/json", Exchange.jsonBytes(Map.of("error",
                                    "the request body could not be read")), true);
                            return;
                        }
                        ByteBuffer bytes = chunk.getByteBuffer();
                        if (body.size() + (long) bytes.remaining() > max) {
                            chunk.release();
                            timeout.cancel();
                            ex.error(new HttpError(413, "request body over " + max + " bytes"));
                            return;
                        }
                        byte[] copy = new byte[bytes.remaining()];
                        bytes.get(copy);
                        body.write(copy, 0, copy.length);
                        boolean last = chunk.isLast();
                        chunk.release();
                        if (last) {
                            timeout.cancel();
                            PredictEndpoints.Result result = work.apply(PredictEndpoints.parse(body.toByteArray()));
                            ex.version = result.version();
                            ex.json(200, result.body());
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
