/**
 * The prediction endpoint ({@link io.mlops.serving.ModelServer}) on Jetty, with registry-backed swaps,
 * canaries and A/B tests, and deployment files ({@link io.mlops.serving.DeploymentBundle}).
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.serving;
