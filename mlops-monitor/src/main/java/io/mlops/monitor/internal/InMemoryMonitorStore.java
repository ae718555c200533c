package io.mlops.monitor.internal;

import io.mlops.monitor.Alert;
import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.FeedbackRecord;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.monitor.spi.Observation;
import io.mlops.monitor.spi.PredictionRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link MonitorStore} in the heap; thread-safe (one lock). */
public final class InMemoryMonitorStore implements MonitorStore {

    private long nextId = 1;
    private long nextAlertId = 1;
    private final Map<Long, PredictionRecord> predictions = new HashMap<>();
    private final Map<Long, FeedbackRecord> feedback = new HashMap<>();
    private final List<ErrorRecord> errors = new ArrayList<>();
    private final Map<Long, Alert> alerts = new HashMap<>();

    @Override
    public synchronized long reserveIds(int count) {
        long first = nextId;
        nextId += count;
        return first;
    }

    @Override
    public synchronized void write(List<PredictionRecord> p, List<FeedbackRecord> f, List<ErrorRecord> e) {
        for (PredictionRecord r : p) {
            predictions.put(r.id(), r);
        }
        for (FeedbackRecord r : f) {
            feedback.put(r.predictionId(), r);
        }
        errors.addAll(e);
    }

    @Override
    public synchronized List<Observation> observations(long fromMillis, long toMillis, String modelVersion) {
        List<Observation> out = new ArrayList<>();
        for (PredictionRecord r : predictions.values()) {
            if (r.timestampMillis() >= fromMillis && r.timestampMillis() < toMillis
                    && (modelVersion == null || modelVersion.equals(r.modelVersion()))) {
                out.add(observationOf(r));
            }
        }
        out.sort(Comparator.comparingLong(Observation::id));
        return out;
    }

    private Observation observationOf(PredictionRecord r) {
        FeedbackRecord fb = feedback.get(r.id());
        return new Observation(r.id(), r.timestampMillis(), r.modelVersion(), RecordChecks.parse(r.outputJson()),
                r.latencyMicros(), fb == null ? null : RecordChecks.parse(fb.actualJson()), fb != null, r.expectedCorrect());
    }

    @Override
    public synchronized List<ErrorRecord> errors(long fromMillis, long toMillis, String modelVersion) {
        List<ErrorRecord> out = new ArrayList<>();
        for (ErrorRecord e : errors) {
            if (e.timestampMillis() >= fromMillis && e.timestampMillis() < toMillis
                    && (modelVersion == null || modelVersion.equals(e.modelVersion()))) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<Observation> observation(long predictionId) {
        PredictionRecord r = predictions.get(predictionId);
        return r == null ? Optional.empty() : Optional.of(observationOf(r));
    }

    @Override
    public synchronized List<Long> predictionsOfTrace(String traceId) {
        return predictions.values().stream().filter(r -> traceId.equals(r.traceId())).map(PredictionRecord::id).sorted()
                .limit(1_000).toList();
    }

    @Override
    public synchronized Optional<String> traceOf(long predictionId) {
        PredictionRecord r = predictions.get(predictionId);
        return r == null ? Optional.empty() : Optional.ofNullable(r.traceId());
    }

    @Override
    public synchronized long insertAlert(Alert alert) {
        long id = nextAlertId++;
        alerts.put(id, new Alert(id, alert.rule(), alert.metric(), alert.severity(), alert.message(), alert.value(),
                alert.threshold(), alert.modelVersion(), alert.openedAt(), alert.resolvedAt()));
        return id;
    }

    @Override
    public synchronized boolean resolveAlert(long alertId, long resolvedMillis) {
        Alert a = alerts.get(alertId);
        if (a == null || !a.isActive()) {
            return false;
        }
        alerts.put(alertId, a.resolved(Instant.ofEpochMilli(resolvedMillis)));
        return true;
    }

    @Override
    public synchronized List<Alert> alertsAfter(long afterId, int max) {
        return alerts.values().stream().filter(a -> a.id() > afterId)
                .sorted(java.util.Comparator.comparingLong(Alert::id)).limit(max).toList();
    }

    @Override
    public synchronized List<Alert> activeAlerts() {
        List<Alert> out = new ArrayList<>();
        for (Alert a : alerts.values()) {
            if (a.isActive()) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparing(Alert::openedAt).thenComparing(Alert::id).reversed());
        return out;
    }

    private final java.util.Map<String, StoredProfile> profiles = new java.util.TreeMap<>(); // guarded by this

    @Override
    public synchronized void writeProfile(long hourMillis, String writer, byte[] profile) {
        profiles.put(hourMillis + "/" + writer, new StoredProfile(hourMillis, writer, profile.clone()));
    }

    @Override
    public synchronized List<StoredProfile> profiles(long fromMillis, long toMillis, String writer, boolean only) {
        List<StoredProfile> out = new java.util.ArrayList<>();
        for (StoredProfile p : profiles.values()) {
            if (p.hourMillis() >= fromMillis && p.hourMillis() < toMillis && p.writer().equals(writer) == only) {
                out.add(new StoredProfile(p.hourMillis(), p.writer(), p.profile().clone()));
            }
        }
        return out;
    }

    @Override
    public synchronized long purge(long beforeMillis) {
        profiles.values().removeIf(p -> p.hourMillis() + 3_600_000L <= beforeMillis);
        long before = predictions.size();
        predictions.values().removeIf(r -> r.timestampMillis() < beforeMillis);
        feedback.keySet().removeIf(id -> !predictions.containsKey(id));
        errors.removeIf(e -> e.timestampMillis() < beforeMillis);
        alerts.values().removeIf(a -> !a.isActive() && a.resolvedAt().toEpochMilli() < beforeMillis);
        return before - predictions.size();
    }

    @Override
    public void close() {
        // nothing to release
    }

    private final java.util.concurrent.ConcurrentHashMap<String, DetectorState> detectors =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public java.util.Optional<DetectorState> detectorState(String rule) {
        return java.util.Optional.ofNullable(detectors.get(rule));
    }

    @Override
    public boolean advanceDetector(String rule, long previousWindowEndMillis, DetectorState next) {
        if (previousWindowEndMillis < 0) {
            return detectors.putIfAbsent(rule, next) == null;
        }
        boolean[] done = {false};
        detectors.computeIfPresent(rule, (k, now) -> {
            if (now.windowEndMillis() == previousWindowEndMillis) {
                done[0] = true;
                return next;
            }
            return now;
        });
        return done[0];
    }

    @Override
    public boolean keepsDetectors() {
        return true;
    }
}
