package io.mlops.monitor;

import io.mlops.core.ManualClock;
import io.mlops.monitor.spi.MonitorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Change-detecting alert rules through the real monitor on SQLite: an error rate that steps from
 * 2% to 6% after 8 quiet hours is alarmed within a few windows and nothing before; the alert
 * resolves itself; a monitor restarted halfway detects at the same window as one that ran through;
 * two instances sharing the store observe each window once and open one alert.
 */
class ChangeRuleTest {

    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final int QUIET = 48; // windows at 2% before the step
    static final AlertRule RULE = AlertRule.when(Metric.ERROR_RATE).over(WINDOW)
            .changeDetected(ChangeDetector.pageHinkley(0.005, 0.05)).named("error rate change");

    @TempDir
    Path dir;

    ModelMonitor monitor(ManualClock clock, String db, String instance, List<Alert> heard) {
        ModelMonitor.Builder b = ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve(db))).clock(clock)
                .defaultRules(false).checkInterval(Duration.ofDays(365)).rule(RULE).onAlert(heard::add);
        return (instance == null ? b : b.instance(instance)).build();
    }

    /** One window of 600 requests, errors at the rate, spread over the window; on one monitor or split over several. */
    static void window(ManualClock clock, Random r, double errorRate, ModelMonitor... monitors) {
        for (int i = 0; i < 600; i++) {
            ModelMonitor m = monitors[i % monitors.length];
            if (r.nextDouble() < errorRate) {
                m.error("1.0.0", "timeout");
            } else {
                m.prediction().output(1).modelVersion("1.0.0").latency(Duration.ofMillis(3)).log();
            }
            clock.advance(Duration.ofMillis(WINDOW.toMillis() / 600));
        }
    }

    /** The windows (counted from the start) at whose end an alert was open. */
    static String run(ManualClock clock, Random r, int windows, ModelMonitor... monitors) {
        StringBuilder states = new StringBuilder();
        for (int w = 0; w < windows; w++) {
            window(clock, r, w < QUIET ? 0.02 : 0.06, monitors);
            for (ModelMonitor m : monitors) {
                m.flush();
            }
            for (ModelMonitor m : monitors) {
                m.checkNow();
            }
            states.append(monitors[0].activeAlerts().isEmpty() ? '-' : 'A');
        }
        return states.toString();
    }

    @Test
    void aStepInTheErrorRateIsAlarmedWithinAFewWindowsAndNothingBefore() {
        ManualClock clock = new ManualClock(START);
        List<Alert> heard = new CopyOnWriteArrayList<>();
        String states;
        try (ModelMonitor m = monitor(clock, "one.db", null, heard)) {
            states = run(clock, new Random(5), QUIET + 8, m);
        }
        assertThat(states.substring(0, QUIET)).as("quiet hours").doesNotContain("A");
        int first = states.indexOf('A');
        assertThat(first - QUIET).as("windows after the step").isBetween(0, 3);
        assertThat(states.substring(first + 1)).as("resolved at the next window, the detector started afresh")
                .startsWith("-").doesNotContain("A");
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0).message()).contains("ERROR_RATE changed for the worse (Page-Hinkley(delta 0.005, lambda 0.05))");
    }

    @Test
    void aRestartedMonitorContinuesWhereItStopped() {
        ManualClock straight = new ManualClock(START);
        String through;
        try (ModelMonitor m = monitor(straight, "straight.db", null, new ArrayList<>())) {
            through = run(straight, new Random(7), QUIET + 6, m);
        }
        ManualClock clock = new ManualClock(START);
        Random r = new Random(7);
        String before;
        try (ModelMonitor m = monitor(clock, "restarted.db", null, new ArrayList<>())) {
            before = run(clock, r, QUIET - 10, m);
        }
        StringBuilder after = new StringBuilder();
        try (ModelMonitor m = monitor(clock, "restarted.db", null, new ArrayList<>())) {
            for (int w = QUIET - 10; w < QUIET + 6; w++) {
                window(clock, r, w < QUIET ? 0.02 : 0.06, m);
                m.flush();
                m.checkNow();
                after.append(m.activeAlerts().isEmpty() ? '-' : 'A');
            }
        }
        assertThat(through).contains("A");
        assertThat(before + after).isEqualTo(through);
    }

    @Test
    void aFleetObservesEachWindowOnceAndOpensOneAlert() throws Exception {
        ManualClock clock = new ManualClock(START);
        List<Alert> heardA = new CopyOnWriteArrayList<>();
        List<Alert> heardB = new CopyOnWriteArrayList<>();
        String states;
        try (ModelMonitor a = monitor(clock, "fleet.db", "pod-a", heardA);
             ModelMonitor b = monitor(clock, "fleet.db", "pod-b", heardB)) {
            states = run(clock, new Random(5), QUIET + 8, a, b);
        }
        ManualClock alone = new ManualClock(START);
        String single;
        try (ModelMonitor m = monitor(alone, "single.db", null, new ArrayList<>())) {
            single = run(alone, new Random(5), QUIET + 8, m);
        }
        // the fleet's totals are the single monitor's traffic: observed once per window, the detector decides alike
        assertThat(states).isEqualTo(single).contains("A");
        assertThat(heardA.size() + heardB.size()).as("one alert for the fleet").isEqualTo(1);
        // the stored state is that of the last simulated window (ManualClock time, not the wall clock's)
        long lastWindowEnd = START.plus(WINDOW.multipliedBy(QUIET + 8)).toEpochMilli();
        try (MonitorStore store = MonitorStore.sqlite(dir.resolve("fleet.db"))) {
            MonitorStore.DetectorState state = store.detectorState(RULE.name()).orElseThrow();
            assertThat(state.windowEndMillis()).isEqualTo(lastWindowEnd);
        }
    }

    @Test
    void aCreepingFeatureIsCaughtByItsPsisChangeBeforeAThresholdRuleSeesIt() {
        java.util.Random ref = new java.util.Random(1);
        double[][] cols = new double[3][20_000];
        for (double[] c : cols) {
            for (int i = 0; i < c.length; i++) {
                c[i] = ref.nextGaussian();
            }
        }
        io.mlops.drift.ReferenceProfile profile = io.mlops.drift.DriftDetector.builder(io.mlops.core.Dataset.builder()
                .numeric("a", cols[0]).numeric("b", cols[1]).numeric("c", cols[2]).build()).build().profile();
        AlertRule change = AlertRule.when(Metric.FEATURE_PSI).forFeature("a").over(Duration.ofHours(1))
                .changeDetected(ChangeDetector.pageHinkley(0.005, 0.05)).named("psi of a changes");
        AlertRule threshold = AlertRule.when(Metric.FEATURE_PSI).forFeature("a").above(0.25).over(Duration.ofHours(1))
                .named("psi of a above 0.25");
        ManualClock clock = new ManualClock(START);
        List<Alert> heard = new CopyOnWriteArrayList<>();
        int quiet = 36;
        try (ModelMonitor m = ModelMonitor.builder().store(MonitorStore.sqlite(dir.resolve("psi.db"))).clock(clock)
                .defaultRules(false).checkInterval(Duration.ofDays(365)).driftReference(profile).rule(change).rule(threshold)
                .onAlert(heard::add).build()) {
            Random r = new Random(2);
            for (int hour = 0; hour < quiet + 16; hour++) {
                double shift = hour < quiet ? 0 : 0.04 * (hour - quiet + 1); // creeps by 0.04 sd an hour
                for (int i = 0; i < 600; i++) {
                    m.prediction().input(Map.of("a", r.nextGaussian() + shift, "b", r.nextGaussian(), "c", r.nextGaussian()))
                            .output(1).log();
                    clock.advance(Duration.ofMillis(6_000));
                }
                m.checkNow();
            }
        }
        List<String> order = heard.stream().map(Alert::rule).toList();
        heard.forEach(a -> System.out.printf("%s opened %d h into the creep%n", a.rule(),
                Duration.between(START.plus(Duration.ofHours(quiet)), a.openedAt()).toHours()));
        assertThat(order).as("alerts in the order they opened").startsWith("psi of a changes");
        Instant first = heard.get(0).openedAt();
        assertThat(first).as("not in the quiet hours").isAfter(START.plus(Duration.ofHours(quiet)));
        assertThat(order).contains("psi of a above 0.25"); // the threshold rule saw it too, later
    }

    @Test
    void aRuleWhoseStateCannotBeKeptAffectsOnlyItself() {
        MonitorStore real = MonitorStore.inMemory();
        MonitorStore failing = (MonitorStore) java.lang.reflect.Proxy.newProxyInstance(MonitorStore.class.getClassLoader(),
                new Class<?>[] {MonitorStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("detectorState") && "broken".equals(args[0])) {
                        throw new java.io.IOException("disk full");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ManualClock clock = new ManualClock(START);
        List<Alert> heard = new CopyOnWriteArrayList<>();
        try (ModelMonitor m = ModelMonitor.builder().store(failing).clock(clock).defaultRules(false)
                .checkInterval(Duration.ofDays(365)).rule(RULE.named("broken")).rule(RULE.named("fine"))
                .onAlert(heard::add).build()) {
            run(clock, new Random(5), QUIET + 8, m); // checkNow throws nothing
        }
        assertThat(heard).extracting(Alert::rule).containsExactly("fine");
    }

    @Test
    void badRulesAreRefused() {
        assertThatThrownBy(() -> AlertRule.when(Metric.DRIFT_SHARE).over(Duration.ofMinutes(30))
                .changeDetected(ChangeDetector.adwin(0.002))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole hours");
        assertThatThrownBy(() -> AlertRule.when(Metric.ERROR_RATE).over(Duration.ofSeconds(90))
                .changeDetected(ChangeDetector.adwin(0.002))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChangeDetector.pageHinkley(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChangeDetector.pageHinkley(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChangeDetector.adwin(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AlertRule.when(Metric.ACCURACY).changeDetected(ChangeDetector.adwin(0.002)).name())
                .isEqualTo("accuracy change by ADWIN(delta 0.002)");
    }
}
