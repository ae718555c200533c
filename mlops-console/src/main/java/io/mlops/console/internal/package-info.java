/** The console's implementation; not an API. */
package io.mlops.console.internal;
