package io.mlops.monitor.internal;

import io.mlops.core.StorageException;
import io.mlops.monitor.FeedbackPolicy;
import io.mlops.monitor.UnknownPredictionException;
import io.mlops.monitor.spi.FeedbackRecord;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.monitor.spi.Observation;
import io.mlops.monitor.spi.PredictionRecord;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The monitor's feedback: finds the prediction (still queued, or in the store), queues the label,
 * and corrects the live aggregates — a second label for the same prediction replaces the first.
 * Records stay pending here until the writer has stored them. Thread-safe (one lock over feedback).
 */
final class FeedbackPath {

    /** Predictions queued but not yet stored, by id. */
    final ConcurrentHashMap<Long, PredictionRecord> pendingPredictions = new ConcurrentHashMap<>();
    /** Feedback for an unknown prediction, counted under {@link FeedbackPolicy#COUNT}. */
    final AtomicLong unknown = new AtomicLong();
    private final ConcurrentHashMap<Long, FeedbackRecord> pendingFeedback = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final MonitorStore store;
    private final Clock clock;
    private final Duration horizon;
    private final FeedbackPolicy feedbackPolicy;
    private final Aggregates aggregates;
    private Predicate<Queued.Data> offer; // set once by queueTo, before the monitor is handed out

    FeedbackPath(MonitorStore store, Clock clock, Duration horizon, FeedbackPolicy feedbackPolicy, Aggregates aggregates) {
        this.store = store;
        this.clock = clock;
        this.horizon = horizon;
        this.feedbackPolicy = feedbackPolicy;
        this.aggregates = aggregates;
    }

    /** Where feedback records are queued (the monitor's writer, made after this). */
    void queueTo(Predicate<Queued.Data> queue) {
        this.offer = queue;
    }

    /** Called by the writer once a record is stored (or set aside): it no longer needs to be pending. */
    void settled(Queued.Data record) {
        if (record instanceof Queued.Prediction p) {
            pendingPredictions.remove(p.record().id());
        } else if (record instanceof Queued.Feedback f) {
            pendingFeedback.remove(f.record().predictionId(), f.record());
        }
    }

    void feedback(long predictionId, Object actual) {
        String actualJson = RecordChecks.json(actual, "actual");
        synchronized (lock) {
            PredictionRecord pending = pendingPredictions.get(predictionId);
            long ts;
            String version;
            Object output;
            Object previous = null;
            boolean hadFeedback = false;
            if (pending != null) {
                ts = pending.timestampMillis();
                version = pending.modelVersion();
                output = RecordChecks.parse(pending.outputJson());
            } else {
                Optional<Observation> stored;
                try {
                    stored = store.observation(predictionId);
                } catch (IOException e) {
                    throw new StorageException("Cannot look prediction " + predictionId + " up in " + store + ": "
                            + e.getMessage(), e);
                }
                if (stored.isEmpty()) {
                    if (feedbackPolicy == FeedbackPolicy.COUNT) {
                        unknown.incrementAndGet();
                        return;
                    }
                    throw new UnknownPredictionException("No prediction with id " + predictionId + " (never logged, or purged)");
                }
                ts = stored.get().timestampMillis();
                version = stored.get().modelVersion();
                output = stored.get().output();
                hadFeedback = stored.get().hasFeedback();
                previous = stored.get().actual();
            }
            FeedbackRecord queued = pendingFeedback.get(predictionId);
            if (queued != null) {
                hadFeedback = true;
                previous = RecordChecks.parse(queued.actualJson());
            }
            FeedbackRecord record = new FeedbackRecord(predictionId, clock.millis(), actualJson);
            pendingFeedback.put(predictionId, record);
            if (!offer.test(new Queued.Feedback(record))) {
                return;
            }
            if (ts >= clock.millis() - horizon.toMillis()) {
                // the values as the store gives them back, so that live and recomputed metrics agree
                Object actualValue = RecordChecks.parse(actualJson);
                String predicted = Labels.normalize(output);
                double predictedValue = Labels.toDouble(output);
                aggregates.feedback(ts, version, predicted, predictedValue, hadFeedback,
                        hadFeedback ? Labels.normalize(previous) : null, hadFeedback ? Labels.toDouble(previous) : Double.NaN,
                        Labels.normalize(actualValue), Labels.toDouble(actualValue));
            }
        }
    }
}
