package io.mlops.serving.spi;

/**
 * One answered request of a {@link io.mlops.serving.ModelServer}.
 *
 * @param endpoint the endpoint's name ({@code predict}, {@code batch_predict}, {@code v2_infer},
 *     {@code health}, ...; {@code other} for a path the server does not have)
 * @param model the served model's name
 * @param version the model version that answered, else the primary's; empty when none is loaded
 * @param status the HTTP status
 * @param durationNanos from the request's arrival to its status, in nanoseconds
 * @since 0.1.0
 */
public record ServedRequest(String endpoint, String model, String version, int status, long durationNanos) {

    /**
     * The status's class, as Micrometer's HTTP meters name it.
     *
     * @return {@code SUCCESS} (2xx), {@code CLIENT_ERROR} (4xx), {@code SERVER_ERROR} (5xx) or
     *     {@code UNKNOWN}
     */
    public String outcome() {
        return status >= 200 && status < 300 ? "SUCCESS" : status >= 400 && status < 500 ? "CLIENT_ERROR"
                : status >= 500 && status < 600 ? "SERVER_ERROR" : "UNKNOWN";
    }
}
