package io.mlops.core;

import java.util.Objects;

/**
 * One thing a store's {@code verify()} found wrong.
 *
 * @param subject what is affected, e.g. {@code "model 'churn' version '1.2.0'"}
 * @param location the file or object at fault
 * @param description what is wrong, and what to do about it
 * @since 0.1.0
 */
public record Problem(String subject, String location, String description) {

    /**
     * Checks the fields.
     *
     * @param subject what is affected
     * @param location the file or object
     * @param description what is wrong
     */
    public Problem {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(description, "description");
    }

    @Override
    public String toString() {
        return subject + " (" + location + "): " + description;
    }
}
