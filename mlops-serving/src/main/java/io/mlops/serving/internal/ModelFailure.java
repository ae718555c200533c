package io.mlops.serving.internal;

/**
 * A predictor's failure, carrying the version that failed, so that the monitor and the metrics
 * count it against that version (a canary's, not the primary's).
 */
final class ModelFailure extends RuntimeException {

    private final String version;

    ModelFailure(String version, RuntimeException cause) {
        super(cause.getMessage(), cause, false, false);
        this.version = version;
    }

    String version() {
        return version;
    }

    /** The predictor's own exception. */
    RuntimeException failure() {
        return (RuntimeException) getCause();
    }
}
