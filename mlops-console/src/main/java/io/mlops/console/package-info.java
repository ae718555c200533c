/** The web console ({@link io.mlops.console.Console}). */
package io.mlops.console;
