package io.mlops.monitor.internal;

import io.mlops.core.StorageException;
import io.mlops.monitor.Alert;
import io.mlops.monitor.Dashboard;
import io.mlops.monitor.MetricsSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.BiFunction;

/** Builds the {@link Dashboard} from a source of numbers: one monitor's aggregates or a fleet's totals. */
final class DashboardView {

    private static final long HOUR = 3_600_000L;

    /** Where the numbers come from. */
    interface Source {
        /** Requests per hour for {@code hours} hours from {@code firstHour}. */
        long[] hourlyRequests(long firstHour, int hours);

        /** The versions with traffic in [from, to), sorted. */
        SortedSet<String> versions(long from, long to);
    }

    private DashboardView() {
    }

    /** The fleet's numbers: the hour totals every instance writes to a shared store. */
    static Source of(StoredTotals fleet) {
        return new Source() {
            @Override
            public long[] hourlyRequests(long firstHour, int hours) {
                return StorageException.wrap("Monitor store", () -> fleet.hourlyRequests(firstHour, hours));
            }

            @Override
            public SortedSet<String> versions(long from, long to) {
                return StorageException.wrap("Monitor store", () -> fleet.versions(from, to));
            }
        };
    }

    /** One monitor's numbers: its in-memory aggregates (guarded by themselves). */
    static Source of(Aggregates aggregates) {
        return new Source() {
            @Override
            public long[] hourlyRequests(long firstHour, int hours) {
                return aggregates.hourlyRequests(firstHour, hours);
            }

            @Override
            public SortedSet<String> versions(long from, long to) {
                return aggregates.versions(from, to);
            }
        };
    }

    /**
     * Builds the dashboard.
     *
     * @param now the time
     * @param dayEnd the end of the 24-hour window (the end of the current minute)
     * @param active the active alerts, newest first
     * @param source the hourly counts and versions
     * @param metrics the metrics of a window and version (null: all)
     * @return the dashboard
     */
    static Dashboard build(Instant now, long dayEnd, List<Alert> active, Source source,
                           BiFunction<Duration, String, MetricsSnapshot> metrics) {
        long firstHour = Math.floorDiv(dayEnd - 1, HOUR) * HOUR - 23 * HOUR;
        long[] counts = source.hourlyRequests(firstHour, 24);
        List<Dashboard.HourlyCount> hours = new ArrayList<>(24);
        for (int i = 0; i < 24; i++) {
            hours.add(new Dashboard.HourlyCount(Instant.ofEpochMilli(firstHour + i * HOUR), counts[i]));
        }
        SortedMap<String, MetricsSnapshot> byVersion = new TreeMap<>();
        for (String v : source.versions(dayEnd - 24 * HOUR, dayEnd)) {
            if (!v.isEmpty()) {
                byVersion.put(v, metrics.apply(Duration.ofHours(24), v));
            }
        }
        return new Dashboard(now, metrics.apply(Duration.ofHours(24), null), active.subList(0, Math.min(10, active.size())),
                hours, byVersion);
    }
}
