package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.core.ManualClock;
import io.mlops.monitor.Alert;
import io.mlops.monitor.AlertSeverity;
import io.mlops.monitor.Metric;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Automated canary analysis end to end: real HTTP requests to a server whose canary share a
 * {@link CanaryAnalysis} moves on the monitor's per-version metrics, with a manual clock for the
 * steps. Candidates fail deterministically on a share of their inputs (a hash of {@code x}).
 */
class CanaryAnalysisTest {

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:00:00Z"));

    /** 1.0.0 in production; the candidates 1.1.0 (fails on 10% of inputs), 1.2.0 (as good), 1.3.0 (slow). */
    ModelRegistry registry(String candidate) {
        ModelRegistry registry = ModelRegistry.builder().fileSystem(dir.resolve("registry")).actor("canary-test")
                .clock(clock).build();
        for (String v : List.of("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0")) {
            registry.register("churn").version(v).artifact(v.getBytes()).save();
        }
        registry.setAlias("churn", "production", "1.0.0");
        registry.setAlias("churn", "staging", candidate);
        return registry;
    }

    /** Fails on the inputs whose hash falls under the version's error rate (per mille). */
    static Predictor model(String version, int errorsPerMille, long sleepMillis) {
        return features -> {
            long x = ((Number) features.get("x")).longValue();
            long h = (x * 0x9E3779B97F4A7C15L) >>> 40;
            if (h % 1000 < errorsPerMille) {
                throw new IllegalStateException("version " + version + " cannot score x=" + x);
            }
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Prediction.of(x % 2);
        };
    }

    static final ModelLoader LOADER = (r, v) -> switch (v.version()) {
        case "1.1.0" -> model("1.1.0", 100, 0);
        case "1.3.0" -> model("1.3.0", 0, 25);
        case "1.4.0" -> features -> Prediction.of(((Number) features.get("x")).longValue() % 5 == 0 ? 0L : 1L); // 80% ones
        default -> model(v.version(), 0, 0);
    };

    ModelMonitor monitor() {
        return ModelMonitor.builder().clock(clock).checkInterval(Duration.ofHours(1)).defaultRules(false).build();
    }

    static CanaryAnalysis.Builder analysis(ManualClock clock) {
        return CanaryAnalysis.builder().minRequests(200).stepDuration(Duration.ofMinutes(10)).checkInterval(Duration.ofHours(1))
                .clock(clock);
    }

    /** Sends n requests; returns how many each version answered (failures count under "failed"). */
    Map<String, Integer> traffic(ModelServer server, int n, Random random) throws Exception {
        Map<String, Integer> answered = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String body = "{\"x\": " + random.nextInt(1_000_000) + ", \"user_id\": \"u" + random.nextInt(100_000) + "\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            String who = r.statusCode() == 200 ? json.readTree(r.body()).get("model_version").asText() : "failed";
            answered.merge(who, 1, Integer::sum);
        }
        return answered;
    }

    JsonNode modelInfo(ModelServer server) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/model_info")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Up to four steps of traffic, each followed by ten minutes and a check; stops once decided. */
    List<Rollout> simulate(ModelServer server, int perStep, Random random) throws Exception {
        List<Rollout> seen = new ArrayList<>();
        for (int step = 0; step < 4; step++) {
            traffic(server, perStep, random);
            clock.advance(Duration.ofMinutes(10));
            Rollout r = server.checkRollout();
            seen.add(r);
            if (r.state() != Rollout.State.RUNNING) {
                break;
            }
        }
        return seen;
    }

    @Test
    void aCandidateWithAHigherErrorRateIsAbortedBeforeFiftyPercentAndTheAliasNeverMoves() throws Exception {
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        ModelRegistry registry = registry("1.1.0");
        try (ModelMonitor monitor = ModelMonitor.builder().clock(clock).checkInterval(Duration.ofHours(1)).defaultRules(false)
                .onAlert(alerts::add).build();
             ModelServer server = ModelServer.builder().fromRegistry(registry, "churn", "production", LOADER)
                     .canary("staging", 0.10).analysis(analysis(clock).build()).monitor(monitor).port(0).build().start()) {
            assertThat(server.rollout().orElseThrow().state()).isEqualTo(Rollout.State.RUNNING);
            List<Rollout> seen = simulate(server, 3_000, new Random(1));
            Rollout end = seen.get(seen.size() - 1);

            assertThat(end.state()).isEqualTo(Rollout.State.ABORTED);
            assertThat(end.share()).isZero();
            assertThat(end.decisions()).extracting(Rollout.Decision::action).last().isEqualTo(Rollout.Action.ABORT);
            assertThat(end.decisions()).allMatch(d -> d.share() < 0.5);
            Rollout.Decision abort = end.decisions().get(end.decisions().size() - 1);
            Rollout.Gate errors = abort.gates().get(0);
            assertThat(errors.name()).isEqualTo("error_rate");
            assertThat(errors.verdict()).isEqualTo(Rollout.Verdict.FAIL);
            assertThat(errors.lower()).isGreaterThan(0.01);
            assertThat(errors.canary()).isBetween(0.05, 0.15);
            assertThat(abort.reason()).contains("aborted").contains("error_rate");

            assertThat(registry.byAlias("churn", "production").orElseThrow().version()).isEqualTo("1.0.0");
            assertThat(registry.aliasHistory("churn", "production")).hasSize(1);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).rule()).isEqualTo("canary churn 1.1.0");
            assertThat(alerts.get(0).severity()).isEqualTo(AlertSeverity.CRITICAL);
            assertThat(alerts.get(0).metric()).isEqualTo(Metric.ERROR_RATE);
            assertThat(alerts.get(0).modelVersion()).isEqualTo("1.1.0");
            assertThat(alerts.get(0).message()).isEqualTo(abort.reason());

            assertThat(traffic(server, 300, new Random(2))).as("every request goes back to the primary")
                    .containsOnlyKeys("1.0.0");
            server.checkRollout();
            assertThat(alerts).as("one alert, however often it is checked").hasSize(1);
            JsonNode rollout = modelInfo(server).get("rollout");
            assertThat(rollout.get("state").asText()).isEqualTo("aborted");
            assertThat(rollout.get("share").asDouble()).isZero();
            assertThat(rollout.at("/decisions/0/action").asText()).isIn("advance", "abort");
            assertThat(modelInfo(server).at("/split/fraction").asDouble()).isZero();
            JsonNode api = json.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/openapi.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            OpenApiTest.documented(api, "ModelInfo", modelInfo(server));
            rollout.fieldNames().forEachRemaining(f -> assertThat(api.at("/components/schemas/ModelInfo/properties/rollout/properties")
                    .has(f)).as("rollout.%s documented", f).isTrue());
            OpenApiTest.documented(api, "Gate", rollout.at("/decisions/0/gates/0"));
        }
    }

    @Test
    void aCandidateAsGoodAsThePrimaryIsPromotedThroughEveryStepAndTheAliasHistorySaysWhy() throws Exception {
        ModelRegistry registry = registry("1.2.0");
        try (ModelMonitor monitor = monitor();
             ModelServer server = ModelServer.builder().fromRegistry(registry, "churn", "production", LOADER)
                     .canary("staging", 0.10).analysis(analysis(clock).build()).monitor(monitor)
                     .pollInterval(Duration.ofMillis(50)).port(0).build().start()) {
            Random random = new Random(3);
            List<Double> shares = new ArrayList<>();
            for (int step = 0; step < 3; step++) {
                // with no errors on either side, about 400 canary requests show "not worse by 1 point" with
                // 95% anytime-valid bounds (300 with the fixed-sample interval)
                Map<String, Integer> answered = traffic(server, 5_000, random);
                shares.add(answered.getOrDefault("1.2.0", 0) / 5_000.0);
                clock.advance(Duration.ofMinutes(10));
                server.checkRollout();
            }
            Rollout end = server.rollout().orElseThrow();
            assertThat(end.state()).as("%s", end).isEqualTo(Rollout.State.PROMOTED);
            assertThat(end.decisions()).extracting(Rollout.Decision::action)
                    .containsExactly(Rollout.Action.ADVANCE, Rollout.Action.ADVANCE, Rollout.Action.PROMOTE);
            assertThat(end.decisions()).extracting(Rollout.Decision::share).containsExactly(0.25, 0.50, 0.0);
            // the canary got its step's share of real requests (binomial sd at most 1% here)
            assertThat(shares.get(0)).isBetween(0.07, 0.13);
            assertThat(shares.get(1)).isBetween(0.21, 0.29);
            assertThat(shares.get(2)).isBetween(0.45, 0.55);

            assertThat(registry.byAlias("churn", "production").orElseThrow().version()).isEqualTo("1.2.0");
            AliasChange promoted = registry.aliasHistory("churn", "production").get(1);
            assertThat(promoted.actor()).isEqualTo("canary-test");
            assertThat(promoted.reason()).startsWith("canary analysis promoted 1.2.0 over 1.0.0 after 3 step(s)")
                    .contains("error_rate 0.0000 vs 0.0000").contains("latency_p95");
            assertThat(promoted.reason()).isEqualTo(end.decisions().get(2).reason());

            awaitPrimary(server, "1.2.0");
            assertThat(traffic(server, 100, random)).containsOnlyKeys("1.2.0");
            assertThat(modelInfo(server).at("/rollout/state").asText()).isEqualTo("promoted");

            // rolling back stays one call, and the promoted version is not rolled out again by itself
            registry.rollback("churn", "production", "on-call: rolled back by hand");
            awaitPrimary(server, "1.0.0");
            Rollout after = server.checkRollout();
            assertThat(after.state()).isEqualTo(Rollout.State.IDLE);
            assertThat(traffic(server, 200, random)).containsOnlyKeys("1.0.0");
        }
    }

    @Test
    void onAProtectedAliasThePromotionIsARequestThatPeopleApprove() throws Exception {
        ModelRegistry registry = registry("1.2.0").protectAlias("production", 1);
        try (ModelMonitor monitor = monitor();
             ModelServer server = ModelServer.builder().fromRegistry(registry, "churn", "production", LOADER)
                     .canary("staging", 0.10).analysis(analysis(clock).build()).monitor(monitor)
                     .pollInterval(Duration.ofMillis(50)).port(0).build().start()) {
            Random random = new Random(3);
            for (int step = 0; step < 3; step++) {
                traffic(server, 5_000, random);
                clock.advance(Duration.ofMinutes(10));
                server.checkRollout();
            }
            Rollout waiting = server.rollout().orElseThrow();
            assertThat(waiting.state()).as("%s", waiting).isEqualTo(Rollout.State.AWAITING_APPROVAL);
            assertThat(registry.byAlias("churn", "production").orElseThrow().version()).isEqualTo("1.0.0");
            io.mlops.registry.AliasMoveRequest request = registry.aliasMoveRequests("churn").get(0);
            assertThat(request.requester()).isEqualTo("canary-analysis");
            assertThat(request.version()).isEqualTo("1.2.0");
            assertThat(request.reason()).startsWith("canary analysis promoted 1.2.0 over 1.0.0");
            assertThat(modelInfo(server).at("/rollout/state").asText()).isEqualTo("awaiting_approval");
            assertThat(server.checkRollout().state()).as("still pending").isEqualTo(Rollout.State.AWAITING_APPROVAL);
            // the analysis cannot approve its own request; a person can
            assertThatThrownBy(() -> registry.approve(request.id(), "canary-analysis"))
                    .isInstanceOf(io.mlops.registry.ApprovalRequiredException.class);
            registry.approve(request.id(), "on-call");
            Rollout end = server.checkRollout();
            assertThat(end.state()).isEqualTo(Rollout.State.PROMOTED);
            assertThat(end.decisions()).extracting(Rollout.Decision::action).containsExactly(Rollout.Action.ADVANCE,
                    Rollout.Action.ADVANCE, Rollout.Action.REQUEST_APPROVAL, Rollout.Action.PROMOTE);
            assertThat(registry.aliasHistory("churn", "production").get(1).reason()).contains("approved by on-call");
            awaitPrimary(server, "1.2.0");
        }
    }

    /** Which version answered each of n requests sent one at a time. */
    String routes(ModelServer server, int n) throws Exception {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"x\": " + i + "}")).build(), HttpResponse.BodyHandlers.ofString());
            out.append(json.readTree(r.body()).get("model_version").asText().equals("1.2.0") ? 'C' : 'p');
        }
        return out.toString();
    }

    @Test
    void aSeededCanaryRoutesRequestForRequestTheSameWayOnEveryRun() throws Exception {
        ModelRegistry registry = registry("1.2.0");
        String[] runs = new String[3];
        long[] seeds = {42, 42, 43};
        for (int run = 0; run < 3; run++) {
            try (ModelServer server = ModelServer.builder().fromRegistry(registry, "churn", "production", LOADER)
                    .canary("staging", 0.30).routingSeed(seeds[run]).pollInterval(Duration.ofMillis(50)).port(0).build()
                    .start()) {
                runs[run] = routes(server, 200);
            }
        }
        assertThat(runs[0]).isEqualTo(runs[1]);
        assertThat(runs[0]).isNotEqualTo(runs[2]);
        long canary = runs[0].chars().filter(c -> c == 'C').count();
        assertThat(canary).as("the canary's share of 200 requests").isBetween(35L, 85L); // 30%: binomial sd 6.5
    }

    /** Regression: a canary's predictor failures were counted against the primary's version. */
    @Test
    void aCanarysFailuresCountAgainstTheCanarysVersionInTheMonitorAndTheMetrics() throws Exception {
        try (ModelMonitor monitor = monitor();
             ModelServer server = ModelServer.builder().fromRegistry(registry("1.1.0"), "churn", "production", LOADER)
                     .canary("staging", 0.5).monitor(monitor).port(0).build().start()) {
            Map<String, Integer> answered = traffic(server, 400, new Random(5));
            long canaryErrors = monitor.metrics(Duration.ofHours(1), "1.1.0").counts().errors();
            assertThat(canaryErrors).isEqualTo(answered.get("failed").longValue()).isPositive();
            assertThat(monitor.metrics(Duration.ofHours(1), "1.0.0").counts().errors()).isZero();
            String metrics = http.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("model_version=\"1.1.0\",status=\"500\"")
                    .doesNotContain("model_version=\"1.0.0\",status=\"500\"");
        }
    }

    @Test
    void aSlowCandidateFailsTheLatencyGate() throws Exception {
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        ModelRegistry registry = registry("1.3.0");
        try (ModelMonitor monitor = ModelMonitor.builder().clock(clock).checkInterval(Duration.ofHours(1)).defaultRules(false)
                .onAlert(alerts::add).build();
             ModelServer server = ModelServer.builder().fromRegistry(registry, "churn", "production", LOADER)
                     .canary("staging", 0.50).analysis(analysis(clock).minRequests(40).build()).monitor(monitor)
                     .port(0).build().start()) {
            traffic(server, 160, new Random(4));
            Rollout r = server.checkRollout();
            assertThat(r.state()).isEqualTo(Rollout.State.ABORTED);
            Rollout.Gate latency = r.decisions().get(0).gates().stream().filter(g -> g.name().equals("latency_p95"))
                    .findFirst().orElseThrow();
            assertThat(latency.verdict()).isEqualTo(Rollout.Verdict.FAIL);
            assertThat(latency.canary()).isGreaterThan(latency.upper());
            assertThat(alerts).extracting(Alert::metric).containsExactly(Metric.P95_LATENCY);
            assertThat(registry.byAlias("churn", "production").orElseThrow().version()).isEqualTo("1.0.0");
        }
    }

    @Test
    void aCandidateWhosePredictionsMoveFailsThePredictionDriftGateAndOneThatAgreesPassesIt() throws Exception {
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        try (ModelMonitor monitor = ModelMonitor.builder().clock(clock).checkInterval(Duration.ofHours(1)).defaultRules(false)
                .onAlert(alerts::add).build();
             ModelServer server = ModelServer.builder().fromRegistry(registry("1.4.0"), "churn", "production", LOADER)
                     .canary("staging", 0.30).analysis(analysis(clock).maxPredictionPsi(0.1).build()).monitor(monitor)
                     .port(0).build().start()) {
            traffic(server, 1_200, new Random(6));
            Rollout r = server.checkRollout();
            assertThat(r.state()).isEqualTo(Rollout.State.ABORTED);
            Rollout.Gate drift = r.decisions().get(0).gates().stream().filter(g -> g.name().equals("prediction_drift"))
                    .findFirst().orElseThrow();
            assertThat(drift.verdict()).isEqualTo(Rollout.Verdict.FAIL);
            // 50/50 against 20/80: PSI = 0.3 ln 1.6 + 0.3 ln 2.5 = 0.416; with ~360 canary answers (random routing)
            // the canary's share of zeros varies by 2 points, which moves PSI by about 0.07 a standard deviation
            assertThat(drift.canary()).isBetween(0.2, 0.8);
            assertThat(alerts).extracting(Alert::metric).containsExactly(Metric.FEATURE_PSI);
        }
        try (ModelMonitor monitor = monitor();
             ModelServer server = ModelServer.builder().fromRegistry(ModelRegistry.fileSystem(dir.resolve("registry")), "churn",
                     "production", LOADER).canary("staging", 0.30).analysis(analysis(clock).maxPredictionPsi(0.1)
                     .steps().stepDuration(Duration.ofMinutes(1)).build()).monitor(monitor).port(0).build().start()) {
            ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
            registry.setAlias("churn", "staging", "1.2.0"); // predicts as production does
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!"1.2.0".equals(server.canaryVersion()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            server.checkRollout();
            traffic(server, 2_000, new Random(7));
            clock.advance(Duration.ofMinutes(1));
            Rollout r = server.checkRollout();
            Rollout.Gate drift = r.decisions().get(r.decisions().size() - 1).gates().stream()
                    .filter(g -> g.name().equals("prediction_drift")).findFirst().orElseThrow();
            assertThat(drift.verdict()).isEqualTo(Rollout.Verdict.PASS);
            assertThat(drift.canary()).isLessThan(0.05);
            assertThat(r.state()).isEqualTo(Rollout.State.PROMOTED);
        }
    }

    @Test
    void decisionsAreTheSameForTheSameSeededTraffic() throws Exception {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Path root = dir.resolve("run" + run);
            ModelRegistry registry = ModelRegistry.builder().fileSystem(root).clock(clock).build();
            registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
            registry.register("churn").version("2.0.0").artifact(new byte[] {2}).save();
            registry.setAlias("churn", "production", "1.0.0");
            registry.setAlias("churn", "staging", "2.0.0");
            // the candidate fails on 2.5% of inputs, the primary on 1%: close to the 1-point margin
            ModelLoader loader = (r, v) -> model(v.version(), v.version().equals("1.0.0") ? 10 : 25, 0);
            try (ModelMonitor monitor = monitor();
                 ModelServer server = ModelServer.builder().fromRegistry(registry, "churn", "production", loader)
                         .abTest("staging", 0.10, "user_id").analysis(analysis(clock).build()).monitor(monitor)
                         .port(0).build().start()) {
                List<Rollout> seen = simulate(server, 2_000, new Random(42));
                List<String> decisions = new ArrayList<>();
                for (Rollout r : seen) {
                    Rollout.Gate e = r.lastCheck().get(0);
                    decisions.add(r.state() + " share=" + r.share() + " " + e.verdict() + " n=" + e.canarySamples() + "/"
                            + e.primarySamples() + " rate=" + e.canary() + "/" + e.primary() + " bounds=" + e.lower() + ","
                            + e.upper());
                }
                runs.add(decisions);
                clock.advance(Duration.ofDays(1));
            }
        }
        assertThat(runs.get(0)).isNotEmpty().isEqualTo(runs.get(1));
    }

    @Test
    void theBuilderRefusesAnAnalysisWithoutACanaryOrAMonitorAndBadSettings() {
        ModelRegistry registry = registry("1.2.0");
        CanaryAnalysis a = CanaryAnalysis.builder().build();
        try (ModelMonitor monitor = monitor()) {
            assertThatThrownBy(() -> ModelServer.builder().fromRegistry(registry, "churn", "production", LOADER).analysis(a)
                    .monitor(monitor).build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("canary");
        }
        assertThatThrownBy(() -> ModelServer.builder().fromRegistry(registry, "churn", "production", LOADER)
                .canary("staging", 0.1).analysis(a).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("monitor");
        assertThatThrownBy(() -> CanaryAnalysis.builder().steps(0.5, 0.25)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanaryAnalysis.builder().steps(0.5, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanaryAnalysis.builder().errorRateMargin(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanaryAnalysis.builder().confidence(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanaryAnalysis.builder().latencyP95(0.9, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanaryAnalysis.builder().stepDuration(Duration.ofHours(25)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxStepDuration");
        assertThatThrownBy(() -> CanaryAnalysis.builder().minRequests(1_000).maxStepRequests(999).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxStepRequests");
        assertThatThrownBy(() -> CanaryAnalysis.builder().maxStepRequests(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(a.method()).isEqualTo(CanaryAnalysis.Method.ANYTIME_VALID);
        assertThat(CanaryAnalysis.builder().fixedSample().build().method()).isEqualTo(CanaryAnalysis.Method.FIXED_SAMPLE);
        assertThat(CanaryAnalysis.builder().fixedSample().sequential().build().method())
                .isEqualTo(CanaryAnalysis.Method.ANYTIME_VALID);
        assertThat(a.maxStepRequests()).isEqualTo(20_000);
        assertThat(a.maxStepDuration()).isEqualTo(Duration.ofHours(24));
        assertThat(a.steps()).containsExactly(0.25, 0.50);
        assertThat(a.confidence()).isEqualTo(0.95);
    }

    void awaitPrimary(ModelServer server, String version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!version.equals(server.modelVersion()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.modelVersion()).isEqualTo(version);
    }
}
