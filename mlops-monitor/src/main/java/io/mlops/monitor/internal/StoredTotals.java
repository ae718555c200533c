package io.mlops.monitor.internal;

import io.mlops.monitor.spi.MonitorStore;

import java.io.IOException;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What a store that keeps per-minute and per-hour totals beside its rows can answer without
 * reading the rows (the SQL stores; every instance of a fleet updates them with each batch). Its
 * types are the monitor's own aggregates, so it is a capability of this package rather than of
 * the SPI: a store has it or not, decided once by {@link #of} where the monitor is built, and the
 * monitor's parts are given it (never a concrete store to test with {@code instanceof}).
 */
interface StoredTotals {

    /** Feeds the stored minutes and hours from {@code from} on into aggregates; returns {predictions, errors}. */
    long[] loadTotals(long fromMillis, Aggregates into) throws IOException;

    /** The window's totals, or null when a row of them does not read. */
    TotalsRows.Totals totals(long fromMillis, long toMillis, String modelVersion) throws IOException;

    /** Requests per hour, of every instance. */
    long[] hourlyRequests(long firstHour, int hours) throws IOException;

    /** The versions with traffic in a window, of every instance. */
    SortedSet<String> versions(long from, long to) throws IOException;

    /** The store's totals, when it keeps them. */
    static Optional<StoredTotals> of(MonitorStore store) {
        return store instanceof StoredTotals t ? Optional.of(t) : Optional.empty();
    }
}
