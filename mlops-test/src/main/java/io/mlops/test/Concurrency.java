package io.mlops.test;

import io.mlops.core.spi.IoSupplier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Helpers for the contract kits' concurrency cases.
 *
 * @since 0.1.0
 */
public final class Concurrency {

    private Concurrency() {
    }

    /** A store's exclusive section, such as {@code store::writeLocked}. */
    @FunctionalInterface
    public interface Locked {
        /**
         * Runs the action inside the section.
         *
         * @param action what runs inside
         * @throws Exception when the section fails
         */
        void run(IoSupplier<Void> action) throws Exception;
    }

    /**
     * Runs {@code threads} threads that each enter the section {@code rounds} times and stay a
     * millisecond.
     *
     * @return the most threads ever inside at once: 1 for a section that excludes
     * @throws Exception when a section fails or the threads do not finish in a minute
     */
    public static int mostInsideAtOnce(int threads, int rounds, Locked section) throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        section.run(() -> {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            inside.decrementAndGet();
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return most.get();
    }
}
