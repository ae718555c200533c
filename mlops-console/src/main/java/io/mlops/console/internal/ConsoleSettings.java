package io.mlops.console.internal;

import io.mlops.data.DataVersioning;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;

/**
 * What {@link io.mlops.console.Console.Builder} hands over.
 *
 * @param registry the registry shown, or null
 * @param data the dataset versions shown, or null
 * @param monitor the monitor shown, or null
 * @param driftReference the training profile the drift page compares with, or null
 * @param host the bind address
 * @param port the port, 0 for any
 * @param tokens who may read and change (no reader token: reading is open; no deployer: read-only)
 */
public record ConsoleSettings(ModelRegistry registry, DataVersioning data, ModelMonitor monitor,
                              ReferenceProfile driftReference, String host, int port,
                              io.mlops.core.AccessTokens tokens) {
}
