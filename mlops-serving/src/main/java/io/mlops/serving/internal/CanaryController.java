package io.mlops.serving.internal;

import io.mlops.monitor.Alert;
import io.mlops.monitor.AlertRule;
import io.mlops.monitor.AlertSeverity;
import io.mlops.monitor.Metric;
import io.mlops.monitor.MetricsSnapshot;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelRegistry;
import io.mlops.serving.CanaryAnalysis;
import io.mlops.serving.Rollout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a {@link CanaryAnalysis}: every check reads both versions' metrics from the monitor, judges
 * them ({@link CanaryGates}), and advances the canary's share, promotes it (moving the alias with
 * the numbers as the reason) or aborts it (share zero, an alert through the monitor). Checks run on
 * one thread ({@code mlops-canary-analysis}) and on {@link #check()}; both hold the same lock.
 */
final class CanaryController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CanaryController.class);
    private static final int KEPT_DECISIONS = 100;

    private final CanaryAnalysis analysis;
    private final Deployments deployments;
    private final ModelMonitor monitor;
    private final ModelRegistry registry;
    private final String model;
    private final String promoteAlias;
    private final double firstShare;
    private final List<Rollout.Decision> decisions = new ArrayList<>();
    /** What the two versions of the current rollout predicted; replaced when a rollout begins. */
    private volatile Map<String, PredictionTally> tallies = Map.of();
    private Rollout.State state = Rollout.State.IDLE;
    private String canaryVersion;
    private String primaryVersion;
    private int step;
    private Instant startedAt;
    private Instant stepStartedAt;
    /** The canary's requests (since the rollout began) when the step began. */
    private long stepStartRequests;
    private List<Rollout.Gate> lastCheck = List.of();
    private ScheduledExecutorService scheduler;

    CanaryController(CanaryAnalysis analysis, ServerSettings settings, Deployments deployments) {
        ServerSettings.FromRegistry source = (ServerSettings.FromRegistry) settings.source();
        this.analysis = analysis;
        this.deployments = deployments;
        this.monitor = Objects.requireNonNull(settings.monitor(), "monitor");
        this.registry = source.registry();
        this.model = source.model();
        this.promoteAlias = analysis.promoteTo() != null ? analysis.promoteTo() : source.alias();
        this.firstShare = settings.split().fraction();
    }

    /** Checks once now, then every check interval. */
    void start() {
        check();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlops-canary-analysis");
            t.setDaemon(true);
            return t;
        });
        long every = analysis.checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Counts what a version answered, when it is one of the current rollout's two. */
    void observe(String version, List<io.mlops.serving.Prediction> predictions) {
        PredictionTally t = tallies.get(version);
        if (t != null) {
            t.add(predictions);
        }
    }

    /** Checks soon on the analysis's thread (the canary alias moved). */
    void checkSoon() {
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            try {
                s.execute(this::checkQuietly);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the server is stopping
            }
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("Canary analysis of '{}' failed; it runs again in {}: {}", model, analysis.checkInterval(), e.toString());
        }
    }

    /** Runs the analysis once and returns where the rollout stands. */
    synchronized Rollout check() {
        Deployments.Deployed c = deployments.split();
        Deployments.Deployed p = deployments.primary();
        String cv = c == null ? null : c.version();
        String pv = p == null ? null : p.version();
        if (state == Rollout.State.PROMOTED && Objects.equals(cv, canaryVersion)) {
            if (!registry.byAlias(model, promoteAlias).map(v -> v.version().equals(cv)).orElse(false)) {
                idle("alias '" + promoteAlias + "' moved away from it since its promotion");
            }
            return rollout();
        }
        if (!Objects.equals(cv, canaryVersion) || !Objects.equals(pv, primaryVersion)) {
            begin(cv, pv);
        }
        if (state == Rollout.State.AWAITING_APPROVAL) {
            awaitApproval();
            return rollout();
        }
        if (state != Rollout.State.RUNNING) {
            return rollout();
        }
        if (alertOpen(cv)) {
            abort(lastCheck, Metric.ERROR_RATE, Double.NaN, "the fleet's canary alert for " + cv + " is open");
            return rollout();
        }
        Instant now = analysis.clock().instant();
        Duration window = Duration.between(startedAt, now).plusMinutes(1);
        MetricsSnapshot canary = monitor.metrics(window, cv);
        MetricsSnapshot primary = monitor.metrics(window, pv);
        Map<String, PredictionTally> t = tallies;
        List<Rollout.Gate> gates = CanaryGates.judge(analysis, canary, primary, t.getOrDefault(cv, new PredictionTally()),
                t.getOrDefault(pv, new PredictionTally()));
        lastCheck = gates;
        Duration inStep = Duration.between(stepStartedAt, now);
        long canaryRequests = canary.counts().requests();
        switch (StepPolicy.next(analysis, gates, inStep, canaryRequests - stepStartRequests)) {
            case ABORT_FAILED -> {
                Rollout.Gate failed = gates.stream().filter(g -> g.verdict() == Rollout.Verdict.FAIL).findFirst().orElseThrow();
                abort(gates, metricOf(failed), failed.canary(), "gate " + failed.name() + " failed");
            }
            case ADVANCE -> {
                stepStartRequests = canaryRequests;
                if (step < analysis.steps().length) {
                    advance(gates, now);
                } else {
                    promote(gates, now);
                }
            }
            case ABORT_INCONCLUSIVE -> {
                Rollout.Gate waiting = gates.stream().filter(g -> g.verdict() != Rollout.Verdict.PASS).findFirst().orElseThrow();
                abort(gates, metricOf(waiting), waiting.canary(), "inconclusive: gate " + waiting.name()
                        + " not shown within bounds after " + inStep + " and " + (canaryRequests - stepStartRequests)
                        + " canary requests in the step");
            }
            case WAIT -> {
            }
        }
        return rollout();
    }

    /** A new canary (or primary) version: start its rollout, unless it already had one. */
    private void begin(String cv, String pv) {
        Instant now = analysis.clock().instant();
        approvalRequest = null;
        canaryVersion = cv;
        primaryVersion = pv;
        step = 0;
        lastCheck = List.of();
        startedAt = now;
        stepStartedAt = now;
        stepStartRequests = 0;
        if (cv == null || cv.equals(pv)) {
            idle(null);
        } else if (alertOpen(cv)) {
            state = Rollout.State.ABORTED;
            deployments.share(0);
            LOG.warn("Canary {} of '{}' gets no traffic: its canary alert is open (resolve it and move the alias to retry)", cv, model);
        } else if (wasPromoted(cv)) {
            idle("alias '" + promoteAlias + "' pointed at it before; it is not rolled out again");
        } else {
            state = Rollout.State.RUNNING;
            tallies = Map.of(cv, new PredictionTally(), pv, new PredictionTally());
            deployments.share(firstShare);
            LOG.info("Canary rollout of '{}' {} against {} begins at {}%", model, cv, pv, firstShare * 100);
        }
    }

    /** The request filed to move a protected promotion alias, or null. */
    private String approvalRequest;

    private void idle(String why) {
        state = Rollout.State.IDLE;
        deployments.share(0);
        if (why != null) {
            LOG.info("Canary {} of '{}' gets no traffic: {}", canaryVersion, model, why);
        }
    }

    private void advance(List<Rollout.Gate> gates, Instant now) {
        double share = analysis.steps()[step];
        step++;
        stepStartedAt = now;
        deployments.share(share);
        record(Rollout.Action.ADVANCE, share, String.format(Locale.ROOT, "canary %s of '%s' advances to %.0f%% after step %d: %s",
                canaryVersion, model, share * 100, step, summary(gates)), gates);
    }

    private void promote(List<Rollout.Gate> gates, Instant now) {
        String reason = String.format(Locale.ROOT, "canary analysis promoted %s over %s after %d step(s) since %s: %s",
                canaryVersion, primaryVersion, step + 1, startedAt, summary(gates));
        if (reason.length() > AliasChange.MAX_REASON_LENGTH) {
            reason = reason.substring(0, AliasChange.MAX_REASON_LENGTH - 3) + "...";
        }
        try {
            registry.setAlias(model, promoteAlias, canaryVersion, reason); // throws: stays at the last step, retried next check
        } catch (io.mlops.registry.ApprovalRequiredException protectedAlias) {
            // an automated check is not an approver: it files the request, people approve it
            approvalRequest = registry.requestAliasMove(model, promoteAlias, canaryVersion, "canary-analysis", reason).id();
            state = Rollout.State.AWAITING_APPROVAL;
            record(Rollout.Action.REQUEST_APPROVAL, currentShare(), "alias '" + promoteAlias + "' is protected: request "
                    + approvalRequest + " to move it to " + canaryVersion + " awaits approval; " + reason, gates);
            return;
        }
        promoted(reason, gates, now);
    }

    private void promoted(String reason, List<Rollout.Gate> gates, Instant now) {
        state = Rollout.State.PROMOTED;
        stepStartedAt = now;
        deployments.share(0);
        record(Rollout.Action.PROMOTE, 0, reason, gates);
        deployments.refresh();
    }

    /** Follows the promotion request of a protected alias: approved, the rollout is promoted; rejected or stale, aborted. */
    private void awaitApproval() {
        io.mlops.registry.AliasMoveRequest r = registry.aliasMoveRequest(approvalRequest).orElse(null);
        io.mlops.registry.AliasMoveRequest.Status s = r == null ? io.mlops.registry.AliasMoveRequest.Status.STALE : r.status();
        switch (s) {
            case APPLIED -> promoted("request " + approvalRequest + " approved by " + String.join(", ", r.approvers()),
                    lastCheck, analysis.clock().instant());
            case REJECTED, STALE -> abort(lastCheck, Metric.ERROR_RATE, Double.NaN, "the promotion request " + approvalRequest
                    + " was " + s.name().toLowerCase(Locale.ROOT));
            default -> { } // pending: the canary keeps its share
        }
    }

    private void abort(List<Rollout.Gate> gates, Metric metric, double value, String why) {
        state = Rollout.State.ABORTED;
        deployments.share(0);
        String reason = String.format(Locale.ROOT, "canary %s of '%s' aborted at %.0f%% (%s): %s", canaryVersion, model,
                currentShare() * 100, why, summary(gates));
        record(Rollout.Action.ABORT, 0, reason, gates);
        AlertRule rule = AlertRule.when(metric).above(0).named(alertRule(canaryVersion)).severity(AlertSeverity.CRITICAL)
                .forVersion(canaryVersion);
        try {
            monitor.raise(rule, Double.isFinite(value) ? value : 0, reason);
        } catch (RuntimeException e) {
            LOG.error("Could not open the alert for the aborted canary {} of '{}': {}", canaryVersion, model, e.toString());
        }
    }

    private double currentShare() {
        return step == 0 ? firstShare : analysis.steps()[step - 1];
    }

    private void record(Rollout.Action action, double share, String reason, List<Rollout.Gate> gates) {
        Rollout.Decision d = new Rollout.Decision(analysis.clock().instant(), action, canaryVersion, primaryVersion, share,
                reason, gates);
        decisions.add(d);
        if (decisions.size() > KEPT_DECISIONS) {
            decisions.remove(0);
        }
        if (action == Rollout.Action.ABORT) {
            LOG.warn("{}", reason);
        } else {
            LOG.info("{}", reason);
        }
    }

    private boolean alertOpen(String version) {
        String rule = alertRule(version);
        for (Alert a : monitor.activeAlerts()) {
            if (a.rule().equals(rule)) {
                return true;
            }
        }
        return false;
    }

    private boolean wasPromoted(String version) {
        return registry.aliasHistory(model, promoteAlias).stream().anyMatch(c -> version.equals(c.to()));
    }

    private String alertRule(String version) {
        return "canary " + model + " " + version;
    }

    private static Metric metricOf(Rollout.Gate gate) {
        return switch (gate.name()) {
            case CanaryGates.ACCURACY -> Metric.ACCURACY;
            case CanaryGates.LATENCY -> Metric.P95_LATENCY;
            case CanaryGates.PREDICTION_DRIFT -> Metric.FEATURE_PSI;
            default -> Metric.ERROR_RATE;
        };
    }

    private static String summary(List<Rollout.Gate> gates) {
        return gates.stream().map(Rollout.Gate::summary).collect(Collectors.joining("; "));
    }

    /** Where the rollout stands now. */
    synchronized Rollout rollout() {
        double share = state == Rollout.State.RUNNING ? currentShare() : 0;
        return new Rollout(state, canaryVersion, primaryVersion, step, share, startedAt, stepStartedAt, lastCheck, decisions);
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
