package io.mlops.monitor.spi;

import java.io.IOException;

/**
 * Thrown by {@link MonitorStore#write} when the batch holds data the store refuses, so that writing
 * the same batch again would fail again (PostgreSQL's data and constraint errors, for example).
 * Nothing of the batch is stored. The monitor then writes the batch in parts to find the records at
 * fault, stores the others and sets those aside; any other {@link IOException} is taken as a
 * passing failure (a lost connection, a full disk) and the batch is retried.
 *
 * @since 0.1.0
 */
public class RecordRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the record rejected exception.
     *
     * @param message what was refused
     * @param cause the store's error
     */
    public RecordRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
