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
     * A logged prediction.
     *
     * @param record a logged prediction
     */
    record Prediction(PredictionRecord record) implements Data {
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
