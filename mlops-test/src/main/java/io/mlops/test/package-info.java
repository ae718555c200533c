/**
 * The compatibility kits every storage backend passes ({@link io.mlops.test.ModelStoreContract},
 * {@link io.mlops.test.DatasetStoreContract}, {@link io.mlops.test.MonitorStoreContract},
 * {@link io.mlops.test.BlobStoreContract}) and helpers for tests of the library and of your own
 * backends: real databases, child JVMs, concurrency.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.test;
