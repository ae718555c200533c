package io.mlops.console.internal;

/** A page that cannot be shown: its status and a message for people (escaped when rendered). */
final class PageError extends RuntimeException {

    final int status;

    PageError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
