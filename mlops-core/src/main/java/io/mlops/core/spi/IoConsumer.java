package io.mlops.core.spi;

import java.io.IOException;

/**
 * A consumer that may throw {@link IOException}.
 *
 * @param <T> the type consumed
 * @since 0.1.0
 */
@FunctionalInterface
public interface IoConsumer<T> {

    /**
     * Consumes a value.
     *
     * @param value the value
     * @throws IOException when writing or reading fails
     */
    void accept(T value) throws IOException;
}
