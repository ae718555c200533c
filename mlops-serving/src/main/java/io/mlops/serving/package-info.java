/**
 * The prediction endpoint ({@link io.mlops.serving.ModelServer}) on Jetty, with registry-backed swaps,
 * canaries and A/B tests, and deployment files ({@link io.mlops.serving.DeploymentBundle}).
 */
package io.mlops.serving;
