package io.mlops.monitor.internal;

import io.mlops.monitor.spi.MonitorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the live input profiles in the monitor store: every minute (and on {@code flush} and
 * {@code close}) the hours that changed are written under this monitor's writer key, so that drift
 * over a window covers the traffic before a restart and every instance sharing the store. A
 * monitor with an instance name takes its own stored hours back at start and goes on adding to
 * them; one without writes under a key of its own per run. A damaged stored profile is skipped
 * with a warning: it leaves out only its writer's hour.
 */
final class ProfilePersistence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProfilePersistence.class);
    static final long SAVE_EVERY_MILLIS = 60_000;

    private final MonitorStore store;
    private final LiveProfiles profiles;
    private final String writer;
    private final Object saving = new Object();
    private ScheduledExecutorService scheduler;

    ProfilePersistence(MonitorStore store, LiveProfiles profiles, String instance) {
        this.store = store;
        this.profiles = profiles;
        this.writer = instance != null ? instance : "run-" + java.util.UUID.randomUUID();
    }

    /** Takes back this writer's stored hours since {@code fromMillis} (named instances), then saves every minute. */
    void start(long fromMillis) {
        try {
            for (MonitorStore.StoredProfile p : store.profiles(fromMillis, Long.MAX_VALUE, writer, true)) {
                LiveProfiles.Profile decoded = decode(p);
                if (decoded != null) {
                    profiles.absorb(p.hourMillis(), decoded);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not read this monitor's stored input profiles from {}: {}", store, e.toString());
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlops-monitor-profiles");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::save, SAVE_EVERY_MILLIS, SAVE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Writes the hours that changed; a failed hour is written again next time. */
    void save() {
        synchronized (saving) {
            for (Map.Entry<Long, byte[]> e : profiles.takeChanged().entrySet()) {
                try {
                    store.writeProfile(e.getKey(), writer, e.getValue());
                } catch (IOException | RuntimeException x) {
                    profiles.changed(e.getKey());
                    LOG.warn("Could not store the input profile of hour {} in {}: {}", e.getKey(), store, x.toString());
                }
            }
        }
    }

    /** The other writers' stored profiles of the hours starting in [from, to). */
    List<LiveProfiles.Profile> others(long from, long to) {
        List<MonitorStore.StoredProfile> stored;
        try {
            stored = store.profiles(Math.floorDiv(from, LiveProfiles.HOUR) * LiveProfiles.HOUR, to, writer, false);
        } catch (IOException e) {
            throw new io.mlops.core.StorageException("Cannot read input profiles from " + store + ": " + e.getMessage(), e);
        }
        List<LiveProfiles.Profile> out = new ArrayList<>(stored.size());
        for (MonitorStore.StoredProfile p : stored) {
            LiveProfiles.Profile decoded = decode(p);
            if (decoded != null) {
                out.add(decoded);
            }
        }
        return out;
    }

    private LiveProfiles.Profile decode(MonitorStore.StoredProfile p) {
        try {
            return ProfileCodec.read(p.profile());
        } catch (IOException e) {
            LOG.warn("Skipping the damaged input profile of writer '{}' for hour {} in {}: {}", p.writer(), p.hourMillis(),
                    store, e.getMessage());
            return null;
        }
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
        save();
    }
}
