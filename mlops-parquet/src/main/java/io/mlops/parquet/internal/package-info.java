/** The Parquet module's implementation, on an embedded DuckDB: not API. */
package io.mlops.parquet.internal;
