/** The web console ({@link io.mlops.console.Console}). *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it,
 * unless its documentation says so ("or null", "may be null"); absent values are {@code Optional}.
 */
package io.mlops.console;
