package io.mlops.serving.spi;

/**
 * Receives what a {@link io.mlops.serving.ModelServer} does, added with
 * {@link io.mlops.serving.ModelServer#addListener(ServingListener)}: every answered request (any
 * endpoint, any status, after its status is decided and before its body is sent) and every load of
 * a model version from the registry (at start and when an alias moves).
 *
 * <p>Called on the thread that did the work — a request thread, the server's alias poller — so an
 * implementation must be quick and thread-safe. An exception it throws is logged (once per
 * listener) and dropped: it never changes a response or a deployment.
 *
 * @since 0.1.0
 */
public interface ServingListener {

    /**
     * A request was answered.
     *
     * @param request what was asked and how it ended
     */
    default void requestCompleted(ServedRequest request) {
    }

    /**
     * A model version was loaded from the registry, or failed to load.
     *
     * @param load what was loaded and how it went
     */
    default void modelLoaded(ModelLoad load) {
    }
}
