package io.mlops.registry;

/**
 * Receives {@link RegistryEvent}s of the registry it is added to, after each change is committed.
 *
 * <p>Called on the thread that made the change. A listener that throws is logged and does not
 * affect the change or the other listeners. Only changes made through this registry instance are
 * delivered; changes by other processes are visible in {@link ModelRegistry#auditLog()}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RegistryListener {

    /**
     * Handles one event.
     *
     * @param event what changed
     */
    void onEvent(RegistryEvent event);
}
