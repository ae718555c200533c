package io.mlops.monitor;

import io.mlops.monitor.spi.ErrorRecord;
import io.mlops.monitor.spi.FeedbackRecord;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.monitor.spi.Observation;
import io.mlops.monitor.spi.PredictionRecord;
import io.mlops.monitor.spi.RecordRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** One bad record fails its own caller, or is set aside by the writer; it never holds up the others. */
class BadRecordTest {

    @TempDir
    Path dir;

    static Object nested(int depth) {
        Object o = 1;
        for (int i = 0; i < depth; i++) {
            o = List.of(o);
        }
        return o;
    }

    /** Logs 100 good predictions around the bad one; the bad one fails at log(), the others are all stored. */
    private void goodRecordsSurviveABadOne(MonitorStore store, int extra, java.util.function.Consumer<ModelMonitor> bad) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (ModelMonitor monitor = ModelMonitor.builder().store(store).queueCapacity(50).build()) {
                for (int i = 0; i < 50; i++) {
                    monitor.prediction().input(Map.of("i", i)).output(1).modelVersion("1.0.0").log();
                }
                bad.accept(monitor);
                for (int i = 0; i < 50; i++) {
                    monitor.prediction().input(Map.of("i", i)).output(1).modelVersion("1.0.0").log();
                }
                monitor.flush();
                assertThat(monitor.exactMetrics(Duration.ofHours(1), null).counts().predictions()).isEqualTo(100 + extra);
                assertThat(monitor.rejectedRecords()).isZero();
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nul-user", "unwritable-input", "self-reference", "deep-output", "huge-output", "long-number",
        "nul-version", "unwritable-feedback"})
    void aBadRecordFailsItsCallerAtOnce(String kind) {
        goodRecordsSurviveABadOne(MonitorStore.sqlite(dir.resolve("m.db")), kind.equals("unwritable-feedback") ? 1 : 0, monitor -> {
            PredictionLog p = monitor.prediction().input(Map.of("x", 1)).output(1).modelVersion("1.0.0");
            switch (kind) {
                case "nul-user" -> p.user("u\u0000");
                case "nul-version" -> p.modelVersion("1.0\u0000");
                case "unwritable-input" -> p.input(Map.of("x", new Object()));
                case "self-reference" -> {
                    Map<String, Object> self = new HashMap<>();
                    self.put("self", self);
                    p.input(self);
                }
                case "deep-output" -> p.output(nested(1_500));
                case "huge-output" -> p.output("x".repeat(21_000_000));
                case "long-number" -> p.output(new BigDecimal("1".repeat(1_200)));
                case "unwritable-feedback" -> {
                    long id = monitor.prediction().output(1).log();
                    assertThatThrownBy(() -> monitor.feedback(id, new Object())).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("actual");
                    return;
                }
                default -> throw new AssertionError(kind);
            }
            assertThatThrownBy(p::log).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("Exception");
        });
    }

    @Test
    void theLimitsNameWhatIsWrong() {
        try (ModelMonitor monitor = ModelMonitor.builder().build()) {
            assertThatThrownBy(() -> monitor.prediction().user("a\u0000b").log()).hasMessage(
                    "user must not contain the NUL character (\\u0000)");
            assertThatThrownBy(() -> monitor.prediction().output("x".repeat(1_000_001)).log())
                    .hasMessage("output is 1000003 characters as JSON, more than the limit of 1000000");
            assertThatThrownBy(() -> monitor.prediction().output(nested(1_500)).log()).hasMessageStartingWith(
                    "output cannot be written as JSON").hasMessageContaining("500");
            assertThatThrownBy(() -> monitor.prediction().output(new BigDecimal("9".repeat(1_200))).log())
                    .hasMessageStartingWith("output cannot be read back as JSON").hasMessageContaining("1000");
        }
    }

    @Test
    void whatWasLoggedIsCopiedAndReadsBackAfterAReopen() {
        Path db = dir.resolve("m.db");
        Map<String, Object> input = new HashMap<>(Map.of("x", 1));
        String big = "y".repeat(999_000);
        long id;
        try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(db)).build()) {
            id = monitor.prediction().input(input).output(big).modelVersion("1.0.0").log();
            input.put("x", new Object()); // the record was taken when logged
            monitor.feedback(id, big);
            monitor.error("1.0.0", "bad\u0000input " + "z".repeat(10_000));
        }
        try (ModelMonitor monitor = ModelMonitor.builder().store(MonitorStore.sqlite(db)).build()) {
            MetricsSnapshot m = monitor.metrics(Duration.ofHours(1));
            assertThat(m.counts().predictions()).isEqualTo(1);
            assertThat(m.counts().withFeedback()).isEqualTo(1);
            assertThat(m.quality().accuracy()).isEqualTo(1.0);
            assertThat(m.counts().errors()).isEqualTo(1);
            // labels too long for the store's per-minute totals: recomputed from the rows
            MetricsSnapshot exact = monitor.exactMetrics(Duration.ofHours(1), null);
            assertThat(exact.quality().accuracy()).isEqualTo(1.0);
            assertThat(exact.counts()).isEqualTo(m.counts());
        }
        try (MonitorStore store = MonitorStore.sqlite(db)) {
            ErrorRecord e = store.errors(0, Long.MAX_VALUE, null).get(0);
            assertThat(e.message()).startsWith("bad\uFFFDinput").hasSize(4_096);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A store that refuses any batch holding a prediction by user "poison", as PostgreSQL refuses a constraint violation. */
    static final class RefusingStore extends ForwardingStore {
        final AtomicInteger writes = new AtomicInteger();

        RefusingStore(MonitorStore delegate) {
            super(delegate);
        }

        @Override
        public void write(List<PredictionRecord> p, List<FeedbackRecord> f, List<ErrorRecord> e) throws IOException {
            writes.incrementAndGet();
            if (p.stream().anyMatch(r -> "poison".equals(r.user()))) {
                throw new RecordRejectedException("check constraint violated by user 'poison'", null);
            }
            super.write(p, f, e);
        }
    }

    @Test
    void aRecordTheStoreRefusesIsSetAsideAndEveryOtherRecordIsStored() {
        RefusingStore store = new RefusingStore(MonitorStore.inMemory());
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (ModelMonitor monitor = ModelMonitor.builder().store(store).build()) {
                List<Long> good = new ArrayList<>();
                // one writer batch: keep the writer busy by logging everything before the first flush
                for (int i = 0; i < 200; i++) {
                    good.add(monitor.prediction().output(1).user("u-" + i).log());
                    if (i == 100) {
                        monitor.prediction().output(1).user("poison").log();
                    }
                }
                monitor.error("1.0.0", "timeout");
                monitor.flush();
                assertThat(monitor.rejectedRecords()).isEqualTo(1);
                List<Observation> stored = store.observations(0, Long.MAX_VALUE, null);
                assertThat(stored).extracting(Observation::id).containsAll(good).hasSize(200);
                assertThat(store.errors(0, Long.MAX_VALUE, null)).hasSize(1);
                // and the refused record is never tried again
                int before = store.writes.get();
                monitor.prediction().output(1).log();
                monitor.flush();
                assertThat(store.writes.get() - before).isEqualTo(1);
            }
        });
    }

    /** A store that fails its first writes as a lost connection would. */
    @Test
    void aPassingStoreFailureIsRetriedAndLosesNothing() {
        AtomicInteger failures = new AtomicInteger(3);
        ForwardingStore store = new ForwardingStore(MonitorStore.inMemory()) {
            @Override
            public void write(List<PredictionRecord> p, List<FeedbackRecord> f, List<ErrorRecord> e) throws IOException {
                if (failures.getAndDecrement() > 0) {
                    throw new IOException("connection refused");
                }
                super.write(p, f, e);
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (ModelMonitor monitor = ModelMonitor.builder().store(store).build()) {
                for (int i = 0; i < 50; i++) {
                    monitor.prediction().output(1).log();
                }
                monitor.flush();
                assertThat(monitor.rejectedRecords()).isZero();
                assertThat(store.observations(0, Long.MAX_VALUE, null)).hasSize(50);
            }
        });
    }

    /** Forwards every call; tests override what they need. */
    static class ForwardingStore implements MonitorStore {
        private final MonitorStore delegate;

        ForwardingStore(MonitorStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public long reserveIds(int count) throws IOException {
            return delegate.reserveIds(count);
        }

        @Override
        public void write(List<PredictionRecord> p, List<FeedbackRecord> f, List<ErrorRecord> e) throws IOException {
            delegate.write(p, f, e);
        }

        @Override
        public List<Observation> observations(long from, long to, String v) throws IOException {
            return delegate.observations(from, to, v);
        }

        @Override
        public List<ErrorRecord> errors(long from, long to, String v) throws IOException {
            return delegate.errors(from, to, v);
        }

        @Override
        public Optional<Observation> observation(long id) throws IOException {
            return delegate.observation(id);
        }

        @Override
        public long insertAlert(Alert alert) throws IOException {
            return delegate.insertAlert(alert);
        }

        @Override
        public boolean resolveAlert(long id, long when) throws IOException {
            return delegate.resolveAlert(id, when);
        }

        @Override
        public List<Alert> activeAlerts() throws IOException {
            return delegate.activeAlerts();
        }

        @Override
        public long purge(long before) throws IOException {
            return delegate.purge(before);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
