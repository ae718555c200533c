package io.mlops.serving.spi;

import io.mlops.serving.ModelServer;

import java.io.IOException;

/**
 * Another protocol in front of a {@link ModelServer}, found with {@link java.util.ServiceLoader}:
 * {@code io.mlops:mlops-grpc} provides {@code grpc} (the Open Inference Protocol's
 * {@code GRPCInferenceService}), started by {@code ModelServer.Builder.grpcPort(port)}. A transport
 * answers every call through {@link ModelServer#handle(EmbeddedRequest)}, so routing, schema
 * checks, tokens, limits, monitoring and traces are the REST endpoints' own.
 *
 * @since 0.1.0
 */
public interface TransportProvider {

    /**
     * @return the transport's name, such as {@code grpc}
     */
    String name();

    /**
     * Starts listening.
     *
     * @param server the server whose {@link ModelServer#handle} answers the calls
     * @param host the address to bind
     * @param port the port, 0 for any free one
     * @return the running transport
     * @throws IOException when the port cannot be bound
     */
    Transport start(ModelServer server, String host, int port) throws IOException;

    /** A running transport. */
    interface Transport extends AutoCloseable {

        /**
         * @return the port it listens on
         */
        int port();

        /** Stops listening; calls in progress get a short grace period. */
        @Override
        void close();
    }
}
