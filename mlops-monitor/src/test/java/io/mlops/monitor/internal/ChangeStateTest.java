package io.mlops.monitor.internal;

import io.mlops.monitor.ChangeDetector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change detectors against brute-force computations of their definitions (Page-Hinkley's
 * statistic recomputed from scratch at every step; every ADWIN split summed directly), their false
 * alarms per 10^6 stationary observations and their delay after a step change (seeded), and their
 * state surviving a round trip through its JSON.
 */
class ChangeStateTest {

    /** A stream of standard normal noise whose mean steps up by {@code step} at each multiple of {@code every}. */
    static double[] stream(int n, int every, double step, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() + (every > 0 ? (i / every) % 2 * step : 0);
        }
        return x;
    }

    /** Page-Hinkley by its definition, recomputed from the observations since the last signal at every step. */
    static List<Integer> pageHinkleyBruteForce(double[] x, double delta, double lambda) {
        List<Integer> signals = new ArrayList<>();
        int start = 0;
        for (int t = 0; t < x.length; t++) {
            int n = t - start + 1;
            double m = 0;
            double min = 0;
            for (int i = start; i <= t; i++) {
                double mean = 0;
                for (int j = start; j <= i; j++) {
                    mean += x[j];
                }
                mean /= i - start + 1;
                m += x[i] - mean - delta;
                min = Math.min(min, m);
            }
            if (n >= ChangeDetector.PAGE_HINKLEY_MIN_OBSERVATIONS && m - min > lambda) {
                signals.add(t);
                start = t + 1;
            }
        }
        return signals;
    }

    static List<Integer> signals(ChangeState s, double[] x) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < x.length; t++) {
            if (s.add(x[t])) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void pageHinkleyIsItsDefinition() {
        double[] x = stream(1_500, 300, 1.0, 3);
        List<Integer> brute = pageHinkleyBruteForce(x, 0.5, 8);
        assertThat(brute).isNotEmpty();
        assertThat(signals(new PageHinkley(0.5, 8), x)).isEqualTo(brute);
    }

    /** Every split of the window checked with its parts summed directly; the first split that differs is cut. */
    static List<Integer> adwinBruteForce(double[] x, double delta) {
        List<Integer> signals = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int t = 0; t < x.length; t++) {
            w.add(x[t]);
            if (w.size() > ChangeDetector.ADWIN_MAX_OBSERVATIONS) {
                w.remove(0);
            }
            boolean worse = false;
            boolean cut = true;
            while (cut) {
                cut = false;
                int n = w.size();
                double mean = w.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                double var = w.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / n;
                for (int n0 = ChangeDetector.ADWIN_MIN_PART; n0 <= n - ChangeDetector.ADWIN_MIN_PART && n >= 10; n0++) {
                    double m0 = w.subList(0, n0).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                    double m1 = w.subList(n0, n).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                    double m = 1 / (1.0 / n0 + 1.0 / (n - n0));
                    double l = Math.log(2 * n / delta);
                    if (Math.abs(m0 - m1) > Math.sqrt(2 / m * var * l) + 2 / (3 * m) * l) {
                        worse |= m1 > m0;
                        w.subList(0, n0).clear();
                        cut = true;
                        break;
                    }
                }
            }
            if (worse) {
                signals.add(t);
            }
        }
        return signals;
    }

    @Test
    void adwinIsItsDefinition() {
        double[] x = stream(1_200, 250, 1.5, 5);
        List<Integer> brute = adwinBruteForce(x, 0.002);
        assertThat(brute).isNotEmpty();
        assertThat(signals(new Adwin(0.002), x)).isEqualTo(brute);
    }

    @Test
    void falseAlarmsPerMillionStationaryObservationsAndDelayAfterAStep() {
        double[] noise = stream(1_000_000, 0, 0, 11);
        int phFalse = signals(new PageHinkley(0.5, 10), noise).size();
        int adwinFalse = signals(new Adwin(0.002), noise).size();
        // delay: stationary for 500 observations, then the mean rises by one standard deviation
        double phDelay = 0;
        double adwinDelay = 0;
        int runs = 50;
        for (int run = 0; run < runs; run++) {
            double[] x = stream(1_500, 500, 1.0, 100 + run);
            phDelay += firstAfter(signals(new PageHinkley(0.5, 10), x), 500) - 500;
            adwinDelay += firstAfter(signals(new Adwin(0.002), x), 500) - 500;
        }
        phDelay /= runs;
        adwinDelay /= runs;
        System.out.printf(Locale.ROOT, "per 10^6 N(0,1) observations: Page-Hinkley(0.5, 10) %d false alarms, ADWIN(0.002) %d;"
                + " mean delay after a +1 sd step: %.1f and %.1f observations%n", phFalse, adwinFalse, phDelay, adwinDelay);
        // ADWIN's bound: at most delta per observation (2,000 per 10^6); it is far below in practice
        assertThat(adwinFalse).isLessThanOrEqualTo(2_000);
        // Page-Hinkley's statistic drifts by -delta per observation without a change, so alarms are rare (measured: 7)
        assertThat(phFalse).isLessThanOrEqualTo(20);
        // Page-Hinkley's delay is about lambda / (d - delta) = 20 after the statistic climbs from its minimum
        assertThat(phDelay).isBetween(10.0, 40.0);
        assertThat(adwinDelay).isBetween(5.0, 150.0);
    }

    static int firstAfter(List<Integer> signals, int t) {
        return signals.stream().filter(s -> s >= t).findFirst().orElse(Integer.MAX_VALUE / 2);
    }

    @Test
    void theStateSurvivesItsJsonAndADamagedOneStartsAfresh() {
        double[] x = stream(2_000, 700, 1.0, 9);
        for (ChangeDetector d : List.of(ChangeDetector.pageHinkley(0.5, 10), ChangeDetector.adwin(0.002))) {
            ChangeState whole = ChangeState.fresh(d);
            ChangeState resumed = ChangeState.fresh(d);
            List<Integer> a = new ArrayList<>();
            List<Integer> b = new ArrayList<>();
            for (int t = 0; t < x.length; t++) {
                if (whole.add(x[t])) {
                    a.add(t);
                }
                if (t % 97 == 0) { // as a restart would: through the stored JSON
                    resumed = ChangeState.decode(d, resumed.encode());
                }
                if (resumed.add(x[t])) {
                    b.add(t);
                }
            }
            assertThat(b).as("%s", d).isEqualTo(a);
            ChangeState damaged = ChangeState.decode(d, "{\"n\": \"x\", \"window\": [1, \"a\", null");
            assertThat(damaged.observations()).isZero();
        }
    }
}
