/**
 * The {@code mlops} command line ({@link io.mlops.cli.MlopsCli}): its commands live in
 * {@code io.mlops.cli.internal} and are not API.
 */
package io.mlops.cli;
