package io.mlops.monitor.internal;

import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.FeedbackRecord;
import io.mlops.monitor.spi.PredictionRecord;

import java.util.concurrent.CompletableFuture;

/** What travels through the monitor's write queue. */
sealed interface Queued {

    /** A record to store. */
    sealed interface Data extends Queued {
    }

    /**
     * A logged prediction; its input and output become JSON text when the record is first asked
     * for (on the writer's thread, unless a feedback for it comes first).
     */
    final class Prediction implements Data {
        private final long id;
        private final long timestampMillis;
        private final String version;
        private final Captured input;
        private final Captured output;
        private final Double probability;
        private final long latencyMicros;
        private final String user;
        private final String traceId;
        private final Double expectedCorrect;
        private volatile PredictionRecord record;

        Prediction(long id, long timestampMillis, String version, Captured input, Captured output, Double probability,
                   long latencyMicros, String user, String traceId, Double expectedCorrect) {
            this.id = id;
            this.timestampMillis = timestampMillis;
            this.version = version;
            this.input = input;
            this.output = output;
            this.probability = probability;
            this.latencyMicros = latencyMicros;
            this.user = user;
            this.traceId = traceId;
            this.expectedCorrect = expectedCorrect;
        }

        long id() {
            return id;
        }

        /** @return the record as stores take it (made once; any thread) */
        PredictionRecord record() {
            PredictionRecord r = record;
            if (r == null) {
                r = new PredictionRecord(id, timestampMillis, version, input == null ? null : input.json(),
                        output == null ? null : output.json(), probability, latencyMicros, user, traceId, expectedCorrect);
                record = r;
            }
            return r;
        }
    }

    /**
     * Feedback for a prediction.
     *
     * @param record feedback for a prediction
     */
    record Feedback(FeedbackRecord record) implements Data {
    }

    /**
     * A failed request.
     *
     * @param record a failed request
     */
    record Failure(ErrorRecord record) implements Data {
    }

    /** A flush request, completed once every record queued before it is stored or set aside. */
    record Flush(CompletableFuture<Void> done) implements Queued {
        Flush() {
            this(new CompletableFuture<>());
        }
    }

    /** The last entry: the writer stores what is before it and ends. */
    enum Stop implements Queued { INSTANCE }
}
