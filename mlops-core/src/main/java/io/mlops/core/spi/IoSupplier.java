package io.mlops.core.spi;

import java.io.IOException;

/**
 * A supplier that may throw {@link IOException}.
 *
 * @param <T> the type supplied
 * @since 0.1.0
 */
@FunctionalInterface
public interface IoSupplier<T> {

    /**
     * Produces a value.
     *
     * @return the value
     * @throws IOException when reading or writing fails
     */
    T get() throws IOException;
}
