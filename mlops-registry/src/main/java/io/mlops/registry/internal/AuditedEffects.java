package io.mlops.registry.internal;

import io.mlops.core.internal.io.AppendOnlyLog;
import io.mlops.core.internal.io.AtomicFiles;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the audit log the commit record of the file-system registry.
 *
 * <p>A write's event line in {@code audit.jsonl} is appended and fsync'd; a registration's line
 * carries the whole version record. That fsync is the write's only one: its effects (the
 * {@code +VERSION @OFFSET} index line, a deletion's {@code -VERSION @OFFSET}) are applied right
 * after without waiting for the disk, and are recovered from the audit log when they are missing.
 * An index line names the offset of its event, so recovery knows exactly which events a model's
 * index already reflects: the offset of its last line.
 *
 * <p>{@code checkpoint} holds an audit offset before which every effect is durable. Opening a
 * store replays the events after it (what a power loss can have cost), fsyncs the indexes they
 * touched, and moves it to the end; writers move it again every {@value #CHECKPOINT_EVERY} commits,
 * so recovery stays short. Before each write, the writer also completes events appended since it
 * last looked (a writer in another process killed between its event and its effects). Every
 * effect is checked before it is redone, so completing twice changes nothing. Alias histories are
 * still written durably (they are rewritten whole and are not recovered from events).
 *
 * <p>Used only under the registry's write lock, by one thread at a time.
 */
final class AuditedEffects {

    private static final Logger LOG = LoggerFactory.getLogger(AuditedEffects.class);
    /** Commits between checkpoints. */
    static final int CHECKPOINT_EVERY = 128;

    /** An effect on the store's files, given the offset of the event that commits it. */
    @FunctionalInterface
    interface Effect {
        void apply(long eventOffset) throws IOException;
    }

    private final FileSystemModelStore store;
    private final Path audit;
    private final Path checkpointFile;
    private final List<Effect> pending = new ArrayList<>();
    private ModelVersion staged; // the record the next registration event carries
    private String stagedSignature; // the envelope the next SIGNED event carries
    private Thread owner; // the thread inside writeLocked, guarded by the registry lock
    /** Events before this offset have their effects applied (not necessarily durable). */
    private long checked = -1;
    /** Models whose index changed after the checkpoint: fsync'd by the next one. */
    private final Set<String> unsynced = new LinkedHashSet<>();
    /** Signature files appended to after the checkpoint without an fsync: fsync'd by the next one. */
    private final Set<Path> unsyncedFiles = new LinkedHashSet<>();
    private int commitsSinceCheckpoint;

    AuditedEffects(FileSystemModelStore store, Path audit) {
        this.store = store;
        this.audit = audit;
        this.checkpointFile = audit.resolveSibling("checkpoint");
    }

    /** Marks the start and the end of a {@code writeLocked} section of the calling thread. */
    void enter() {
        owner = Thread.currentThread();
    }

    void exit() {
        pending.clear();
        staged = null;
        stagedSignature = null;
        owner = null;
    }

    /** Whether the calling thread is inside a write section (else store-level calls write durably at once). */
    boolean inWriteSection() {
        return owner == Thread.currentThread();
    }

    /** Defers an effect to its event; outside a write section, applies it at once with no event. */
    void defer(Effect effect) throws IOException {
        if (inWriteSection()) {
            pending.add(effect);
        } else {
            effect.apply(-1);
        }
    }

    /** A file an effect appended to without an fsync: the audit line recovers it, the next checkpoint syncs it. */
    void syncAtCheckpoint(Path file) {
        unsyncedFiles.add(file);
    }

    /** The signature envelope that the next {@code SIGNED} (or registration) event carries. */
    void stageSignature(String envelope) {
        stagedSignature = envelope;
    }

    /** The version record that the next registration event of the same version carries. */
    void stage(ModelVersion record) {
        staged = record;
    }

    /** Appends the event (the commit point, the one fsync), then applies the effects that preceded it. */
    void commit(RegistryEvent event) throws IOException {
        ModelVersion record = staged != null && (event.type() == RegistryEvent.Type.REGISTERED
                || event.type() == RegistryEvent.Type.OVERWRITTEN) && staged.name().equals(event.model())
                && staged.version().equals(event.version()) ? staged : null;
        staged = null;
        String signature = event.type() == RegistryEvent.Type.SIGNED || record != null ? stagedSignature : null;
        stagedSignature = null;
        String line = RecordJson.eventLine(event, record, signature);
        long offset = AppendOnlyLog.append(audit, line);
        List<Effect> todo = List.copyOf(pending);
        pending.clear();
        for (Effect e : todo) {
            e.apply(offset);
        }
        unsynced.add(event.model());
        if (checked == offset) {
            checked = offset + line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        if (++commitsSinceCheckpoint >= CHECKPOINT_EVERY) {
            checkpoint();
        }
    }

    /**
     * At the end of a write section that succeeded: effects no event followed (a store-level write
     * without an event) are applied durably on their own.
     */
    void applyPending() throws IOException {
        List<Effect> todo = List.copyOf(pending);
        pending.clear();
        staged = null;
        stagedSignature = null;
        for (Effect e : todo) {
            e.apply(-1);
        }
    }

    /**
     * Opening: replays the events after the checkpoint and moves it to the end of the log. A store
     * written before checkpoints existed has its last event completed the old way.
     */
    void open() throws IOException {
        long from;
        try {
            from = Long.parseLong(Files.readString(checkpointFile, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            from = -1;
        } catch (NumberFormatException e) {
            LOG.warn("{} is unreadable; checking every event of {} once", checkpointFile, audit);
            from = 0;
        }
        if (from < 0) {
            LegacyRollForward.lastEvent(store, audit);
            checked = AppendOnlyLog.visitFrom(audit, 0, (o, line) -> { });
        } else {
            checked = from;
            completeSince();
        }
        checkpoint();
    }

    /** Before a write: completes the events appended since this store last looked. */
    void completeSince() throws IOException {
        checked = AppendOnlyLog.visitFrom(audit, checked, this::complete);
    }

    private void complete(long offset, String line) throws IOException {
        RegistryEvent e;
        try {
            Optional<RegistryEvent> record = RecordJson.commitRecord(line, audit.toString());
            if (record.isEmpty()) {
                return; // written before commit records: its effects were made durable with it
            }
            e = record.get();
        } catch (IOException | RuntimeException ex) {
            LOG.warn("The audit line at byte {} of {} cannot be read; not checking whether its write completed: {}",
                    offset, audit, ex.toString());
            return;
        }
        unsynced.add(e.model());
        switch (e.type()) {
            case REGISTERED, OVERWRITTEN -> {
                if (store.lastIndexedOffset(e.model()) < offset) {
                    LOG.info("Completing the registration of model '{}' version '{}' from the audit log", e.model(), e.version());
                    IndexFiles.add(store.modelDir(e.model()), e.version(), offset);
                }
                String envelope = RecordJson.signature(line, audit.toString());
                if (envelope != null) {
                    SignatureFiles.append(store.modelDir(e.model()), e.version(), envelope, true);
                }
            }
            case DELETED -> {
                if (store.lastIndexedOffset(e.model()) < offset) {
                    LOG.info("Completing the deletion of model '{}' version '{}' from the audit log", e.model(), e.version());
                    IndexFiles.remove(store.modelDir(e.model()), e.version(), offset);
                }
                SignatureFiles.delete(store.modelDir(e.model()), e.version());
            }
            case ALIAS_MOVED, ALIAS_ROLLED_BACK, ALIAS_REMOVED -> completeAliasMove(store, e);
            case MOVE_REQUESTED, MOVE_APPROVED, MOVE_REJECTED -> { } // recorded in the log alone
            case SIGNED -> {
                String envelope = RecordJson.signature(line, audit.toString());
                if (envelope != null) {
                    SignatureFiles.append(store.modelDir(e.model()), e.version(), envelope, true);
                }
            }
            default -> throw new IllegalStateException("unknown event type " + e.type());
        }
    }

    /** Writes an alias move whose history misses it. */
    static void completeAliasMove(FileSystemModelStore store, RegistryEvent e) throws IOException {
        AliasChange change = new AliasChange(e.model(), e.alias(), e.previousVersion(), e.version(), e.at(), e.actor(),
                e.reason());
        List<AliasChange> history;
        try {
            history = store.aliasHistory(e.model(), e.alias());
        } catch (io.mlops.core.spi.CorruptFileException damaged) {
            LOG.warn("{}; rewriting it from the audit log", damaged.getMessage());
            store.writeAliasChange(change);
            return;
        }
        for (int i = history.size() - 1; i >= 0; i--) { // newest first: a recent event matches at once
            AliasChange h = history.get(i);
            if (Objects.equals(h.from(), change.from()) && Objects.equals(h.to(), change.to()) && h.at().equals(change.at())) {
                return;
            }
        }
        LOG.warn("Completing the move of alias '{}' of model '{}' to '{}'", e.alias(), e.model(), e.version());
        store.writeAliasChange(change);
    }

    /** Makes the effects so far durable and records that in the checkpoint file. */
    private void checkpoint() throws IOException {
        for (String model : unsynced) {
            AppendOnlyLog.force(store.modelDir(model).resolve(IndexFiles.INDEX));
        }
        unsynced.clear();
        for (Path f : unsyncedFiles) {
            if (java.nio.file.Files.exists(f)) {
                AppendOnlyLog.force(f);
            }
        }
        unsyncedFiles.clear();
        commitsSinceCheckpoint = 0;
        AtomicFiles.write(checkpointFile, Long.toString(checked).getBytes(StandardCharsets.US_ASCII));
    }

    /** The roll-forward of stores written before checkpoints: only the last event can be incomplete. */
    private static final class LegacyRollForward {

        static void lastEvent(FileSystemModelStore store, Path audit) throws IOException {
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
                    Path dir = store.modelDir(e.model());
                    if (!AppendOnlyLog.lastLine(dir.resolve(IndexFiles.INDEX)).map(("+" + e.version())::equals).orElse(false)) {
                        IndexFiles.add(dir, e.version(), -1);
                    }
                }
                case DELETED -> IndexFiles.removeIfListed(store.modelDir(e.model()), e.version());
                case ALIAS_MOVED, ALIAS_ROLLED_BACK, ALIAS_REMOVED -> completeAliasMove(store, e);
                case SIGNED, MOVE_REQUESTED, MOVE_APPROVED, MOVE_REJECTED -> { } // newer than checkpoints
                default -> throw new IllegalStateException("unknown event type " + e.type());
            }
        }
    }
}
