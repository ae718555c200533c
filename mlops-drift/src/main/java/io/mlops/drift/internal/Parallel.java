package io.mlops.drift.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** Column-parallel work on a small daemon pool sized to the cores. */
public final class Parallel {

    /** The default pool: one daemon thread per core, ending when idle (nothing to close). */
    public static final ExecutorService DEFAULT = io.mlops.core.internal.concurrent.SharedThreads.fixed("mlops-drift",
            Math.max(1, Runtime.getRuntime().availableProcessors()));

    private Parallel() {
    }

    /**
     * Applies a function to every item on the executor and returns the results in order; the first
     * failure is rethrown as it was (unchecked).
     */
    static <T, R> List<R> map(List<T> items, Function<T, R> f, Executor executor) {
        List<CompletableFuture<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(CompletableFuture.supplyAsync(() -> f.apply(item), executor));
        }
        List<R> out = new ArrayList<>(items.size());
        for (CompletableFuture<R> future : futures) {
            try {
                out.add(future.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                if (e.getCause() instanceof Error) {
                    throw (Error) e.getCause();
                }
                throw e;
            }
        }
        return out;
    }
}
