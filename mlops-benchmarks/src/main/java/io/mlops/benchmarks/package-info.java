/**
 * JMH benchmarks of every capability, and the load-test server {@code ServeTrivialModel}; not published.
 */
package io.mlops.benchmarks;
