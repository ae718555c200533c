package io.mlops.monitor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlops.monitor.ChangeDetector;

/**
 * Page-Hinkley on a rise of the mean (see {@link ChangeDetector}): {@code m_T = Σ (x_t − x̄_t − δ)},
 * a change when {@code m_T − min m_t > λ} after the minimum observations; then it starts afresh.
 */
final class PageHinkley extends ChangeState {

    private final double delta;
    private final double lambda;
    private long n;
    private double mean;
    private double sum;
    private double min;

    PageHinkley(double delta, double lambda) {
        this.delta = delta;
        this.lambda = lambda;
    }

    @Override
    boolean add(double x) {
        if (!Double.isFinite(x)) {
            return false;
        }
        n++;
        mean += (x - mean) / n;
        sum += x - mean - delta;
        min = Math.min(min, sum);
        if (n >= ChangeDetector.PAGE_HINKLEY_MIN_OBSERVATIONS && sum - min > lambda) {
            n = 0;
            mean = 0;
            sum = 0;
            min = 0;
            return true;
        }
        return false;
    }

    /** The statistic {@code m_T − min m_t}. */
    double statistic() {
        return sum - min;
    }

    @Override
    long observations() {
        return n;
    }

    @Override
    ObjectNode write(ObjectNode into) {
        return into.put("n", n).put("mean", mean).put("sum", sum).put("min", min);
    }

    @Override
    void read(JsonNode j) {
        n = Math.max(0, j.path("n").asLong());
        mean = j.path("mean").asDouble();
        sum = j.path("sum").asDouble();
        min = Math.min(0, j.path("min").asDouble());
        if (!Double.isFinite(mean) || !Double.isFinite(sum) || !Double.isFinite(min)) {
            n = 0;
            mean = 0;
            sum = 0;
            min = 0;
        }
    }
}
