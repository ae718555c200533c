package io.mlops.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model's answer to one request.
 *
 * @param label the predicted label or value (a string, number or boolean)
 * @param probabilities the probability of each label, empty when the model gives none; unmodifiable
 * @param score the model's confidence in {@code label}, or null
 * @since 0.1.0
 */
public record Prediction(Object label, Map<String, Double> probabilities, Double score) {

    /**
     * Copies the probabilities.
     *
     * @param label the label
     * @param probabilities the probabilities, may be null
     * @param score the score, may be null
     */
    public Prediction {
        Objects.requireNonNull(label, "label");
        probabilities = probabilities == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
    }

    /**
     * @param label the predicted label or value
     * @return a prediction without probabilities
     */
    public static Prediction of(Object label) {
        return new Prediction(label, Map.of(), null);
    }

    /**
     * @param label the predicted label
     * @param probabilities each label's probability; the score is the label's own
     * @return the prediction
     */
    public static Prediction of(Object label, Map<String, Double> probabilities) {
        return new Prediction(label, probabilities, probabilities.get(String.valueOf(label)));
    }
}
