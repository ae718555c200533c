/**
 * What a {@link io.mlops.serving.ModelServer} tells the code around it: each answered request and
 * each model load ({@link io.mlops.serving.spi.ServingListener}), the hook the Micrometer binding
 * ({@code io.mlops:mlops-micrometer}) and a user's own instrumentation use.
 */
package io.mlops.serving.spi;
