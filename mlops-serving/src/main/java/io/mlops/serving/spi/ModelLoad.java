package io.mlops.serving.spi;

import java.util.Optional;

/**
 * One load of a model version from the registry by a {@link io.mlops.serving.ModelServer}.
 *
 * @param model the model's name
 * @param version the version
 * @param alias the alias it was loaded for ({@code production}, the canary's, the shadow's)
 * @param durationNanos how long the load took (artifact read, checks, the loader), in nanoseconds
 * @param failure why it failed, or {@code null} when it was loaded
 * @since 0.1.0
 */
public record ModelLoad(String model, String version, String alias, long durationNanos, Throwable failure) {

    /**
     * Whether the version was loaded.
     *
     * @return true when it was
     */
    public boolean succeeded() {
        return failure == null;
    }

    /**
     * Why the load failed.
     *
     * @return the failure, empty when the version was loaded
     */
    public Optional<Throwable> failed() {
        return Optional.ofNullable(failure);
    }
}
