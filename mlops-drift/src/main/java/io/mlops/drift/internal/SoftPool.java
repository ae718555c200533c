package io.mlops.drift.internal;

import java.lang.ref.SoftReference;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;

/**
 * Large arrays kept for reuse, a few per core, softly held (the GC may take them back):
 * sorting and evaluating 40 columns of a million rows reuses a few 8 MB arrays instead of
 * allocating one per column, so the heap (and the process) stays near the data's size. Thread-safe.
 *
 * @param <T> the kind of array
 */
final class SoftPool<T> {

    private final BlockingQueue<SoftReference<T>> spare;

    /** A pool keeping up to {@code capacity} items. */
    SoftPool(int capacity) {
        spare = new ArrayBlockingQueue<>(Math.max(1, capacity));
    }

    /** Returns a spare item that fits, or null; items that do not fit are dropped. */
    T take(Predicate<T> fits) {
        SoftReference<T> ref;
        while ((ref = spare.poll()) != null) {
            T item = ref.get();
            if (item != null && fits.test(item)) {
                return item;
            }
        }
        return null;
    }

    /** Keeps an item for reuse when there is room. */
    void give(T item) {
        spare.offer(new SoftReference<>(item));
    }
}
