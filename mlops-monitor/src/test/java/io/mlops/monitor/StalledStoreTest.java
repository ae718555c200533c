package io.mlops.monitor;

import io.mlops.core.StorageException;
import io.mlops.monitor.spi.MonitorStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * flush() on a store that keeps failing (a full disk) gives up after the stall timeout, naming the
 * store's error, while the records stay queued; once the store works again they are all stored.
 * Before, flush() waited without end.
 */
class StalledStoreTest {

    @Test
    void flushOnAStoreThatKeepsFailingThrowsAfterTheStallTimeoutAndNothingIsLost() throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        MonitorStore real = MonitorStore.inMemory();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("write") && full.get()) {
                throw new IOException("No space left on device");
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        MonitorStore store = (MonitorStore) Proxy.newProxyInstance(MonitorStore.class.getClassLoader(),
                new Class<?>[] {MonitorStore.class}, handler);
        try (ModelMonitor monitor = ModelMonitor.builder().store(store).defaultRules(false)
                .stallTimeout(Duration.ofMillis(500)).build()) {
            long first = 0;
            for (int i = 0; i < 10; i++) {
                long id = monitor.prediction().input(Map.of("x", i)).output(1).log();
                first = i == 0 ? id : first;
            }
            CompletableFuture<Void> flush = CompletableFuture.runAsync(monitor::flush);
            // an event with a generous deadline: the flush gives up instead of waiting for ever
            ExecutionException stalled = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> flush.get(60, TimeUnit.SECONDS));
            assertThat(stalled.getCause()).isInstanceOf(StorageException.class).hasMessageContaining("No space left on device")
                    .hasMessageContaining("records stay queued");
            assertThat(real.observation(first)).as("nothing stored while the disk is full").isEmpty();

            full.set(false);
            CompletableFuture.runAsync(monitor::flush).get(60, TimeUnit.SECONDS);
            for (long id = first; id < first + 10; id++) {
                assertThat(real.observation(id)).as("prediction %d", id).isPresent();
            }
        }
    }
}
