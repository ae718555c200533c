package io.mlops.registry.internal;

import io.mlops.core.io.AppendOnlyLog;
import io.mlops.registry.AliasChange;
import io.mlops.registry.RegistryEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes the audit log the commit record of the file-system registry: the effects of a write (index
 * lines, alias histories) wait until its event is durably appended to {@code audit.jsonl}, and are
 * applied right after. A writer killed between the two leaves an event whose effect is missing;
 * since writers hold the registry lock, that can only be the last event, and the next writer
 * completes it ({@link #rollForward()}) before doing anything else. Every effect is idempotent and
 * checked before it is redone, so completing twice changes nothing.
 *
 * <p>Used only under the registry's write lock, by one thread at a time.
 */
final class AuditedEffects {

    private static final Logger LOG = LoggerFactory.getLogger(AuditedEffects.class);

    /** An effect on the store's files. */
    @FunctionalInterface
    interface Effect {
        void apply() throws IOException;
    }

    private final FileSystemModelStore store;
    private final Path audit;
    private final List<Effect> pending = new ArrayList<>();
    private Thread owner; // the thread inside writeLocked, guarded by the registry lock

    /** Marks the start and the end of a {@code writeLocked} section of the calling thread. */
    void enter() {
        owner = Thread.currentThread();
    }

    void exit() {
        pending.clear();
        owner = null;
    }

    AuditedEffects(FileSystemModelStore store, Path audit) {
        this.store = store;
        this.audit = audit;
    }

    /** Defers an effect to its event; outside a write section (store-level tests), applies it at once. */
    void defer(Effect effect) throws IOException {
        if (owner == Thread.currentThread()) {
            pending.add(effect);
        } else {
            effect.apply();
        }
    }

    /** Appends the event (the commit point), then applies the effects that preceded it. */
    void commit(RegistryEvent event) throws IOException {
        AppendOnlyLog.append(audit, RecordJson.eventLine(event));
        applyPending();
    }

    void applyPending() throws IOException {
        List<Effect> todo = List.copyOf(pending);
        pending.clear();
        for (Effect e : todo) {
            e.apply();
        }
    }

    /** Completes the effect of the last audited event, if its writer died before applying it. */
    void rollForward() throws IOException {
        Optional<String> line = AppendOnlyLog.lastLine(audit);
        if (line.isEmpty()) {
            return;
        }
        RegistryEvent e;
        try {
            e = RecordJson.event(line.get(), audit.toString());
        } catch (IOException | RuntimeException ex) {
            LOG.warn("The last line of {} cannot be read; not checking whether its write completed: {}", audit, ex.toString());
            return;
        }
        switch (e.type()) {
            case REGISTERED, OVERWRITTEN -> {
                if (!lastIndexLineIs(e.model(), "+" + e.version())) {
                    LOG.warn("Completing the registration of model '{}' version '{}' (its writer stopped after the audit)",
                            e.model(), e.version());
                    store.index(e.model(), e.version());
                }
            }
            case DELETED -> {
                if (!lastIndexLineIs(e.model(), "-" + e.version())) {
                    LOG.warn("Completing the deletion of model '{}' version '{}'", e.model(), e.version());
                }
                store.unindexIfListed(e.model(), e.version());
            }
            case ALIAS_MOVED, ALIAS_ROLLED_BACK, ALIAS_REMOVED -> {
                List<AliasChange> history = store.aliasHistory(e.model(), e.alias());
                AliasChange last = history.isEmpty() ? null : history.get(history.size() - 1);
                if (last == null || !Objects.equals(last.from(), e.previousVersion()) || !Objects.equals(last.to(), e.version())
                        || !last.at().equals(e.at())) {
                    LOG.warn("Completing the move of alias '{}' of model '{}' to '{}'", e.alias(), e.model(), e.version());
                    store.writeAliasChange(new AliasChange(e.model(), e.alias(), e.previousVersion(), e.version(), e.at(),
                            e.actor()));
                }
            }
            default -> throw new IllegalStateException("unknown event type " + e.type());
        }
    }

    private boolean lastIndexLineIs(String model, String line) throws IOException {
        return store.lastIndexLine(model).map(line::equals).orElse(false);
    }

}
