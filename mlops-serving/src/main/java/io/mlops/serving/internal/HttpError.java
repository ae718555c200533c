package io.mlops.serving.internal;

/** A request that ends in an error response with the library's JSON body. */
final class HttpError extends Exception {

    private static final long serialVersionUID = 1L;

    final int status;
    final String field;

    HttpError(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    HttpError(int status, String message) {
        this(status, message, null);
    }
}
