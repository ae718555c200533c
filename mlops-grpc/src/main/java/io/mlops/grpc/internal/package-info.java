/** The gRPC service's calls as REST requests to the server, and tensors between protobuf and JSON. */
package io.mlops.grpc.internal;
