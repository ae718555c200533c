/**
 * Implementations behind the serving API: deployments, endpoints and the Jetty server. Not API.
 */
package io.mlops.serving.internal;
