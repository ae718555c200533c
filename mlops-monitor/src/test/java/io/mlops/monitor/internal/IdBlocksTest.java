package io.mlops.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlops.monitor.spi.MonitorStore;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A burst faster than the store reserves ids (a store busy with the burst's own writes): the caller
 * never reserves on its own thread beside the reservation under way — it waits for it, and the
 * blocks grow so that later reservations come back in time. (Before: each block that ran out first
 * cost the caller a synchronous reservation and a warning.)
 */
class IdBlocksTest {

    /** A store whose reservations take 100 ms, remembering the thread of each. */
    static MonitorStore slowReservations(List<String> threads) {
        MonitorStore real = MonitorStore.inMemory();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("reserveIds")) {
                threads.add(Thread.currentThread().getName());
                Thread.sleep(100);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (MonitorStore) Proxy.newProxyInstance(MonitorStore.class.getClassLoader(), new Class<?>[] {MonitorStore.class},
                handler);
    }

    @Test
    void aBurstWaitsForTheReservationUnderWayAndTheBlocksGrow() throws IOException {
        List<String> threads = new CopyOnWriteArrayList<>();
        MonitorStore store = slowReservations(threads);
        try (IdBlocks ids = new IdBlocks(store, 1_000)) {
            String caller = Thread.currentThread().getName();
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 200_000; i++) {
                assertThat(seen.add(ids.next())).isTrue();
            }
            assertThat(threads.get(0)).as("the first block, when built").isEqualTo(caller);
            assertThat(threads.subList(1, threads.size())).as("every later reservation ahead, none on the caller's thread")
                    .allMatch(t -> t.equals("mlops-monitor-ids"));
            assertThat(threads.size()).as("blocks doubled: 200,000 ids in few reservations, not 200").isLessThan(20);
        }
    }
}
