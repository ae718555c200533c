package io.mlops.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.mlops.grpc.internal.CallHeaders;
import io.mlops.grpc.internal.OipGrpcService;
import io.mlops.serving.ModelServer;
import io.mlops.serving.spi.TransportProvider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Open Inference Protocol over gRPC, for {@code ModelServer.Builder.grpcPort(port)}: found by
 * the server through {@link java.util.ServiceLoader} when this module is on the class path; not
 * called directly. Each call becomes the matching REST request handed to
 * {@link ModelServer#handle} — ModelInfer a {@code POST /v2/models/{name}[/versions/{v}]/infer}
 * with the tensors as JSON — so routing (canary, A/B), schema checks, tokens (the
 * {@code authorization} metadata), limits, monitoring and traces ({@code traceparent}) are the
 * REST endpoints' own, and a REST status becomes a gRPC status (400 INVALID_ARGUMENT, 401
 * UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND, 413 and 429 RESOURCE_EXHAUSTED, 501
 * UNIMPLEMENTED, 503 UNAVAILABLE, others INTERNAL) with the same message, never a stack trace.
 *
 * <p>Limits: messages up to 4 MiB, metadata up to 16 KiB, 256 concurrent calls per connection,
 * a TLS-less HTTP/2 handshake within 10 s, idle connections closed after 5 minutes; calls run on
 * a fixed pool of threads (twice the processors, at least 4).
 *
 * @since 0.1.0
 */
public final class GrpcTransport implements TransportProvider {

    static final int MAX_MESSAGE_BYTES = 4 << 20;

    /** For the service loader. */
    public GrpcTransport() {
    }

    @Override
    public String name() {
        return "grpc";
    }

    @Override
    public Transport start(ModelServer server, String host, int port) throws IOException {
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mlops-grpc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .executor(executor)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(16 << 10)
                .maxConcurrentCallsPerConnection(256)
                .handshakeTimeout(10, TimeUnit.SECONDS)
                .maxConnectionIdle(5, TimeUnit.MINUTES)
                .permitKeepAliveTime(1, TimeUnit.MINUTES)
                .addService(ServerInterceptors.intercept(new OipGrpcService(server), new CallHeaders()))
                .build();
        try {
            grpc.start();
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        return new Transport() {
            @Override
            public int port() {
                return grpc.getPort();
            }

            @Override
            public void close() {
                grpc.shutdown();
                try {
                    if (!grpc.awaitTermination(10, TimeUnit.SECONDS)) {
                        grpc.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    grpc.shutdownNow();
                    Thread.currentThread().interrupt();
                }
                executor.shutdownNow();
            }
        };
    }
}
