/** Implementation of the Spark profiles; not an API. */
package io.mlops.spark.internal;
