package io.mlops.monitor.internal;

import io.mlops.core.StorageException;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.Task;
import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.monitor.spi.Observation;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Metrics from what the store holds: the exact recompute, and the aggregates rebuilt at start. */
final class StoredMetrics {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoredMetrics.class);

    private StoredMetrics() {
    }

    /**
     * The metrics of [from, to) from the store: a SQL store's per-minute and per-hour totals (at most
     * ~150 rows a day per version), else the rows themselves through the live path's aggregation.
     */
    static MetricsSnapshot exact(MonitorStore store, Optional<StoredTotals> kept, long from, long to, String version, Task task,
                                 String positive, long dropped, long unknown) {
        try {
            if (kept.isPresent()) {
                TotalsRows.Totals t = totals(kept.get(), from, to, version);
                if (t != null && (task != Task.CLASSIFICATION || !t.sum().confusionIncomplete)) {
                    return Aggregates.compute(t.sum(), from, to, Aggregates.spanMillis(t.firstMillis(), t.lastMillis(), from, to),
                            version, task, positive, dropped, unknown);
                }
                // an unreadable totals row, or labels too many or too long to keep per minute: from the rows
            }
            Aggregates recomputed = new Aggregates();
            load(store, from, to, version, recomputed);
            return recomputed.snapshot(from, to, version, task, positive, dropped, unknown);
        } catch (IOException e) {
            throw new StorageException("Cannot read the monitor store " + store + ": " + e.getMessage(), e);
        }
    }

    /** A SQL store's totals of a window, or null when a row of them does not read (logged). */
    private static TotalsRows.Totals totals(StoredTotals kept, long from, long to, String version) throws IOException {
        try {
            return kept.totals(from, to, version);
        } catch (TotalsRows.Damaged e) {
            LOG.warn("Reading the rows instead of the totals of {}: {}", kept, e.getMessage());
            return null;
        }
    }

    /**
     * Feeds the predictions and errors stored since {@code from} into aggregates: a SQL store's
     * minute and hour totals (the rows when one of them does not read), else the rows.
     *
     * @return the numbers of predictions and errors read
     */
    static long[] load(MonitorStore store, Optional<StoredTotals> kept, long from, Aggregates into) throws IOException {
        if (kept.isPresent()) {
            try {
                return kept.get().loadTotals(from, into);
            } catch (TotalsRows.Damaged e) {
                LOG.warn("Loading the rows instead of the totals of {}: {}", store, e.getMessage());
            }
        }
        return load(store, from, Long.MAX_VALUE, null, into);
    }

    private static long[] load(MonitorStore store, long from, long to, String version, Aggregates into) throws IOException {
        List<Observation> observations = store.observations(from, to, version);
        List<ErrorRecord> errors = store.errors(from, to, version);
        observations.forEach(into::observe);
        for (ErrorRecord e : errors) {
            into.error(e.timestampMillis(), e.modelVersion());
        }
        return new long[] {observations.size(), errors.size()};
    }
}
