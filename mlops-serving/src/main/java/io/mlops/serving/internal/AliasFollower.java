package io.mlops.serving.internal;

import io.mlops.core.MlopsException;
import io.mlops.registry.ModelVersion;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.Predictor;
import io.mlops.serving.internal.Deployments.Deployed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows a model's registry aliases for the server: loads the version an alias points at beside
 * the one served, checks its features against it, and swaps it in, or keeps the version before
 * when the load fails (recorded in {@link LoadFailures}, retried with back-off). Called from the
 * server's single poller thread, so one alias is never followed twice at once.
 */
final class AliasFollower {

    private static final Logger LOG = LoggerFactory.getLogger(AliasFollower.class);

    private final ServerSettings.FromRegistry s;
    private final LoadFailures failures;
    private final FeatureChanges featureChanges;
    private final ServingEvents events;
    private final java.util.function.UnaryOperator<Predictor> served;

    AliasFollower(ServerSettings.FromRegistry source, LoadFailures failures, FeatureChanges featureChanges,
                  ServingEvents events, java.util.function.UnaryOperator<Predictor> served) {
        this.events = events;
        this.served = served;
        this.s = source;
        this.failures = failures;
        this.featureChanges = featureChanges;
    }

    /** Loads what an alias points at, or null when it points at nothing. */
    Deployed load(String alias) {
        Optional<ModelVersion> v = s.registry().byAlias(s.model(), alias);
        return v.isEmpty() ? null : load(v.get(), alias);
    }

    private Deployed load(ModelVersion v, String alias) {
        long started = System.nanoTime();
        io.opentelemetry.api.trace.Span span = events.startLoad(v.version(), alias);
        try {
            java.util.Optional<io.mlops.registry.TrustPolicy> policy = s.registry().trustPolicy(alias);
            if (policy.isPresent()) {
                io.mlops.registry.SignatureCheck check = s.registry().verifySignatures(v.name(), v.version(), policy.get());
                if (!check.trusted()) {
                    throw new io.mlops.registry.UntrustedModelException("alias '" + alias + "' has a trust policy and "
                            + v.coordinates() + " is not trusted under it: " + String.join("; ", check.problems()));
                }
            }
            Predictor p = s.loader().load(s.registry(), v);
            events.load(v.version(), alias, System.nanoTime() - started, null, span);
            Map<String, Object> metadata = new LinkedHashMap<>(v.metadata());
            metadata.put("tags", v.tags());
            metadata.put("sha256", v.sha256());
            metadata.put("registered_at", v.registeredAt().toString());
            return new Deployed(v.version(), served.apply(p), metadata);
        } catch (Exception e) {
            events.load(v.version(), alias, System.nanoTime() - started, e, span);
            throw new MlopsException("Cannot load " + v.coordinates() + " for serving: " + e.getMessage(), e);
        } catch (Error e) {
            events.load(v.version(), alias, System.nanoTime() - started, e, span);
            throw e;
        }
    }

    /** Follows one alias; tells whether the deployment changed. A failed load of any kind keeps the version before. */
    boolean follow(String alias, AtomicReference<Deployed> ref) {
        try {
            Optional<ModelVersion> v = s.registry().byAlias(s.model(), alias);
            Deployed current = ref.get();
            String target = v.map(ModelVersion::version).orElse(null);
            if (target == null && alias.equals(s.alias())) {
                return false; // keep serving the last primary rather than nothing
            }
            if (current != null && current.version().equals(target) || current == null && target == null) {
                failures.cleared(alias); // back where it was: nothing is failing
                return false;
            }
            Deployed next = null;
            if (target != null) {
                long now = System.nanoTime();
                if (!failures.mayTry(alias, target, now)) {
                    return false;
                }
                try {
                    next = load(v.get(), alias);
                } catch (Throwable e) {
                    // an OutOfMemoryError or a broken artifact alike: the version before keeps serving
                    LoadFailures.Failure f = failures.failed(alias, target, e instanceof MlopsException && e.getCause() != null
                            ? e.getCause() : e, now);
                    LOG.error("Cannot load {} {} that alias '{}' points at (attempt {}); still serving {}: {}", s.model(), target,
                            alias, f.attempts(), current == null ? "nothing" : current.version(), f.error());
                    LOG.debug("The failed load of {} {}", s.model(), target, e);
                    return false;
                }
            }
            if (next != null && current != null && !sameFeatures(alias, current, next)) {
                closeLoaded(next);
                return false;
            }
            failures.cleared(alias);
            ref.set(next);
            if (current != null) {
                closeLoaded(current); // waits, where the model guards itself (OnnxModel), for its runs in progress
            }
            LOG.info("Alias '{}' moved: now serving {} (was {})", alias, next == null ? "nothing" : next.version(),
                    current == null ? "nothing" : current.version());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not follow alias '{}' of '{}': {}", alias, s.model(), e.toString());
            return false;
        }
    }

    /**
     * Compares the features of the version an alias moved to with those of the version it replaces:
     * a difference is logged and shown ({@code /model_info}, {@code /metrics}); with
     * {@code sameFeatures} it is refused like a failed load, and the version before keeps serving.
     *
     * @return whether the new version may be swapped in
     */
    private boolean sameFeatures(String alias, Deployed current, Deployed next) {
        Optional<FeatureSchema> before = current.predictor().schema();
        Optional<FeatureSchema> after = next.predictor().schema();
        if (before.isEmpty() || after.isEmpty()) {
            return true;
        }
        List<String> differences = before.get().differences(after.get());
        if (differences.isEmpty()) {
            return true;
        }
        featureChanges.record(new FeatureChanges.Change(alias, current.version(), next.version(), differences,
                Instant.now(), s.sameFeatures()));
        if (s.sameFeatures()) {
            failures.failed(alias, next.version(), new IllegalStateException("its features differ from those of "
                    + current.version() + ": " + String.join("; ", differences)), System.nanoTime());
            LOG.error("Alias '{}' of '{}' moved to {}, whose features differ from those of {} ({}); refused"
                    + " (sameFeatures), still serving {}", alias, s.model(), next.version(), current.version(),
                    String.join("; ", differences), current.version());
            return false;
        }
        LOG.warn("Alias '{}' of '{}' moved to {}, whose features differ from those of {}: {}. Clients sending the old"
                + " features will get 400s", alias, s.model(), next.version(), current.version(), String.join("; ", differences));
        return true;
    }

    static void closeLoaded(Deployed d) {
        if (d != null && d.predictor() instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Could not close the model of version {}: {}", d.version(), e.toString());
            }
        }
    }
}
