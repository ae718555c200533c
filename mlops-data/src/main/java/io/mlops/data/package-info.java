/**
 * Dataset versioning: content-identified versions of datasets and files, a lineage DAG, and version
 * comparison ({@link io.mlops.data.DataVersioning}).
 */
package io.mlops.data;
