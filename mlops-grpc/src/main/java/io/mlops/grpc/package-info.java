/**
 * The Open Inference Protocol's gRPC service for a {@code ModelServer}
 * ({@code ModelServer.Builder.grpcPort(port)}); see {@link io.mlops.grpc.GrpcTransport}. The
 * service's definition is {@code mlops/open_inference.proto} in this module's sources (and jar),
 * written from the protocol's published one: the same package, service, messages and field
 * numbers, so clients generated from either talk to the server.
 */
package io.mlops.grpc;
