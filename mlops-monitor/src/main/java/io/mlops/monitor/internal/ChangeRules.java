package io.mlops.monitor.internal;

import io.mlops.monitor.AlertRule;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.spi.MonitorStore;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The change-detecting alert rules' observations ({@link AlertRule#changeDetected}): each rule's
 * metric over the latest whole window (aligned to the epoch) fed to its detector once, the state
 * advanced in the store by compare-and-set (so a fleet observes each window once), or in memory
 * when the store keeps no detectors. Used under the evaluator's lock.
 */
final class ChangeRules {

    /** The metrics of [from, to). */
    interface Range {
        MetricsSnapshot metrics(long fromMillis, long toMillis, String modelVersion);
    }

    /** The drift of the inputs logged in [from, to) against the reference, or null when none were. */
    interface DriftRange {
        io.mlops.drift.DriftReport report(long fromMillis, long toMillis);
    }

    /**
     * What one observation found.
     *
     * @param changed whether the detector found a change for the worse
     * @param value the metric over the window
     * @param samples its samples
     * @param windowEndMillis the window's end
     */
    record Observation(boolean changed, double value, long samples, long windowEndMillis) {
    }

    private final MonitorStore store;
    private final Range range;
    private final DriftRange drift;
    private final io.mlops.drift.ReferenceProfile reference; // null without drift rules
    private final Map<String, MonitorStore.DetectorState> local = new HashMap<>();
    /** This check's drift reports by window, so that rules on one window share one report. */
    private final Map<List<Long>, java.util.Optional<io.mlops.drift.DriftReport>> reports = new HashMap<>();

    ChangeRules(MonitorStore store, Range range, DriftRange drift, io.mlops.drift.ReferenceProfile reference) {
        this.store = store;
        this.range = range;
        this.drift = drift;
        this.reference = reference;
    }

    /** Starts a check: drift reports of the last one are dropped. */
    void beginCheck() {
        reports.clear();
    }

    /**
     * Observes the rule's latest whole window, unless it (or another instance) already has.
     *
     * @return the observation, or null when there is nothing new to say (the window was observed,
     *     had too few samples, or another instance advanced the state first)
     */
    Observation observe(AlertRule rule, long nowMillis) throws IOException {
        long length = rule.window().toMillis();
        long end = Math.floorDiv(nowMillis, length) * length;
        boolean shared = store.keepsDetectors();
        MonitorStore.DetectorState stored = shared ? store.detectorState(rule.name()).orElse(null) : local.get(rule.name());
        if (stored != null && stored.windowEndMillis() >= end) {
            return null;
        }
        ChangeState state = stored == null ? ChangeState.fresh(rule.changeDetector())
                : ChangeState.decode(rule.changeDetector(), stored.state());
        Double value;
        long samples;
        long needed = rule.minSamples();
        if (rule.metric().isDrift()) {
            long from = end - length;
            io.mlops.drift.DriftReport report = reports.computeIfAbsent(List.of(from, end),
                    w -> java.util.Optional.ofNullable(drift.report(from, end))).orElse(null);
            value = report == null ? null : DriftValues.of(report, rule);
            samples = report == null ? 0 : report.currentRows();
            needed = Math.max(needed, DriftValues.psiMinRows(rule, reference));
        } else {
            MetricsSnapshot m = range.metrics(end - length, end, rule.modelVersion());
            value = m.value(rule.metric());
            samples = m.samples(rule.metric());
        }
        boolean enough = value != null && Double.isFinite(value) && samples >= needed;
        boolean changed = enough && state.add(rule.metric().higherIsWorse() ? value : -value);
        MonitorStore.DetectorState next = new MonitorStore.DetectorState(end, state.encode());
        if (shared) {
            if (!store.advanceDetector(rule.name(), stored == null ? -1 : stored.windowEndMillis(), next)) {
                return null; // another instance observed this window first
            }
        } else {
            local.put(rule.name(), next);
        }
        return enough ? new Observation(changed, value, samples, end) : null;
    }
}
