package io.mlops.serving.internal;

import io.mlops.core.MlopsException;
import io.mlops.serving.Predictor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the server serves: the primary deployment and the canary or A/B one, loaded from a fixed
 * predictor or from registry aliases that a poller follows ({@link AliasFollower}: the new version
 * is loaded beside the old one, then swapped in atomically), and the routing of a request between
 * them.
 */
final class Deployments implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);

    /** A loaded model version. */
    record Deployed(String version, Predictor predictor, Map<String, Object> metadata) {
    }

    private final ServerSettings.Source source;
    private final ServerSettings.Split splitSettings;
    private final AtomicReference<Deployed> primary = new AtomicReference<>();
    private final AtomicReference<Deployed> split = new AtomicReference<>();
    private final AtomicReference<Deployed> shadow = new AtomicReference<>();
    private final String shadowAlias;
    /** The split's share of requests now: the builder's, or the canary analysis's step (0 until it starts). */
    private volatile double share;
    private final boolean analysed;
    private volatile Runnable onSplitChange = () -> { };
    private ScheduledExecutorService poller;
    private AliasFollower follower; // set by start, from the registry
    private AutoCloseable watch;
    private final LoadFailures failures;
    private final FeatureChanges featureChanges = new FeatureChanges();

    private final ServingEvents events;

    /** The canary's seeded routing generator, or null (unseeded); guarded by itself. */
    private final java.util.SplittableRandom seeded;

    private final ServerSettings settings;

    Deployments(ServerSettings settings, ServingEvents events) {
        this.settings = settings;
        this.events = events;
        this.source = settings.source();
        this.splitSettings = settings.split();
        this.seeded = splitSettings == null || splitSettings.seed() == null ? null
                : new java.util.SplittableRandom(splitSettings.seed());
        this.shadowAlias = settings.shadowAlias();
        this.analysed = settings.analysis() != null;
        this.share = splitSettings == null || analysed ? 0 : splitSettings.fraction();
        this.failures = new LoadFailures(source instanceof ServerSettings.FromRegistry r ? r.pollInterval() : Duration.ZERO);
    }

    /** The alias moves to versions of other features. */
    FeatureChanges featureChanges() {
        return featureChanges;
    }

    /** The versions aliases moved to that could not be loaded (the ones before are still served). */
    LoadFailures failures() {
        return failures;
    }

    /** The split's share of requests now. */
    double share() {
        return share;
    }

    /** Sets the split's share of requests (the canary analysis's steps). */
    void share(double share) {
        this.share = share;
    }

    /** Called after the split's alias moved to another version (the canary analysis starts a new rollout). */
    void onSplitChange(Runnable callback) {
        this.onSplitChange = callback;
    }

    /** Follows the aliases now, on the poller's thread (after a promotion). */
    void refresh() {
        if (poller != null && source instanceof ServerSettings.FromRegistry s) {
            try {
                poller.execute(() -> followAliases(s));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the server is stopping
            }
        }
    }

    /** Loads what is to be served and starts following the aliases. */
    void start() {
        if (source instanceof ServerSettings.Fixed fixed) {
            primary.set(new Deployed(fixed.version(), settings.served(fixed.predictor()), Map.of()));
            return;
        }
        ServerSettings.FromRegistry s = (ServerSettings.FromRegistry) source;
        follower = new AliasFollower(s, failures, featureChanges, events, settings::served);
        Deployed d = follower.load(s.alias());
        if (d == null) {
            throw new MlopsException("Cannot serve '" + s.model() + "': alias '" + s.alias() + "' points at no version");
        }
        primary.set(d);
        if (splitSettings != null) {
            split.set(follower.load(splitSettings.alias()));
        }
        if (shadowAlias != null) {
            shadow.set(follower.load(shadowAlias));
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlops-serving-poller");
            t.setDaemon(true);
            return t;
        });
        long every = s.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(() -> followAliases(s), every, every, TimeUnit.MILLISECONDS);
        // stores that announce moves (PostgreSQL) make the swap happen within milliseconds; the poll stays as fallback
        watch = s.registry().watch(() -> {
            try {
                poller.execute(() -> followAliases(s));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the server is stopping
            }
        });
    }

    Deployed primary() {
        return primary.get();
    }

    Deployed split() {
        return split.get();
    }

    /** The shadow's deployment, or null. */
    Deployed shadow() {
        return shadow.get();
    }

    /** The shadow's alias, or null. */
    String shadowAlias() {
        return shadowAlias;
    }

    private void followAliases(ServerSettings.FromRegistry s) {
        try {
            follower.follow(s.alias(), primary);
            if (splitSettings != null && follower.follow(splitSettings.alias(), split) && analysed) {
                share = 0; // a new canary version gets traffic only once its rollout begins
                onSplitChange.run();
            }
            if (shadowAlias != null) {
                follower.follow(shadowAlias, shadow);
            }
        } catch (Throwable e) {
            // anything thrown out of a scheduled poll cancels every later one: the server would stop following for good
            LOG.error("Following the aliases of '{}' failed; trying again at the next poll", s.model(), e);
        }
    }

    /** A uniform draw in [0, 1): from the seeded generator, one request at a time, else the thread's own. */
    private double draw() {
        if (seeded == null) {
            return ThreadLocalRandom.current().nextDouble();
        }
        synchronized (seeded) {
            return seeded.nextDouble();
        }
    }

    /** Chooses the deployment for a request: canary by chance, A/B by a hash of the key. */
    Deployed route(Map<String, Object> first) throws HttpError {
        Deployed main = primary.get();
        Deployed other = split.get();
        if (other != null) {
            boolean toOther;
            if (splitSettings.key() == null) {
                toOther = draw() < share;
            } else {
                Object key = first.get(splitSettings.key());
                toOther = key != null && bucket(String.valueOf(key)) < share;
            }
            if (toOther) {
                return other;
            }
        }
        if (main == null) {
            throw new HttpError(503, "no model loaded");
        }
        return main;
    }

    /** A stable position in [0, 1) for a key (64-bit mix of its UTF-8 bytes). */
    static double bucket(String key) {
        long h = 0x9E3779B97F4A7C15L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Closes the models the server loaded from the registry (not a predictor the user passed in). */
    void release() {
        if (source instanceof ServerSettings.FromRegistry) {
            AliasFollower.closeLoaded(primary.getAndSet(null));
            AliasFollower.closeLoaded(split.getAndSet(null));
            AliasFollower.closeLoaded(shadow.getAndSet(null));
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.warn("Could not stop watching the registry: {}", e.toString());
            }
        }
        if (poller != null) {
            poller.shutdownNow();
            try {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
