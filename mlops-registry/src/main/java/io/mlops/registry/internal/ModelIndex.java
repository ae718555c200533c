package io.mlops.registry.internal;

import io.mlops.core.Problem;
import io.mlops.core.SemanticVersion;
import io.mlops.core.internal.io.AppendOnlyLog;
import io.mlops.core.spi.CorruptFileException;
import io.mlops.registry.ModelVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One model's {@code index.log}, followed incrementally, and its version records, read once.
 *
 * <p>An index line is {@code +VERSION @OFFSET} or {@code -VERSION @OFFSET}, where {@code OFFSET} is
 * the byte offset in {@code audit.jsonl} of the event that made the change; a registration's event
 * carries the version record, so {@link #find} reads the record from there. Lines without an offset
 * ({@code +VERSION}) come from stores written before version 0.2 and name a record file
 * {@code versions/VERSION.json}.
 *
 * <p><b>Damage stays local.</b> A line of the index that does not parse is skipped with a warning
 * and reported by {@link #problems()}; a record that does not parse, or names another version,
 * fails {@link #find} of that version only, with a {@link CorruptFileException} naming the file.
 * Thread-safe (one lock per model).
 */
final class ModelIndex {

    private static final Logger LOG = LoggerFactory.getLogger(ModelIndex.class);
    /** The longest audit line read for a record: 1,000,000 chars of metadata, at most 4 bytes each, and the rest. */
    static final int MAX_EVENT_BYTES = 4 * DefaultRegistration.MAX_RECORD_CHARS + 65_536;

    private final String model;
    private final Path dir;
    private final Path index;
    private final Path audit;
    private long indexEnd;
    private Object indexKey; // the index file's identity (device and inode) when it was last read
    /** Live versions and the audit offset of their record, or -1 for a record file. */
    private final TreeMap<SemanticVersion, Long> live = new TreeMap<>();
    private long lastOffset = -1;
    private List<SemanticVersion> snapshot; // live's keys, rebuilt after a change

    private final Map<SemanticVersion, ModelVersion> records = new HashMap<>();
    private final List<String> damagedLines = new ArrayList<>();

    ModelIndex(String model, Path dir, Path audit) {
        this.model = model;
        this.dir = dir;
        this.index = dir.resolve("index.log");
        this.audit = audit;
    }

    Path recordFile(SemanticVersion v) {
        return dir.resolve("versions").resolve(v + ".json");
    }

    synchronized List<SemanticVersion> versions() throws IOException {
        refresh();
        if (snapshot == null) {
            snapshot = List.copyOf(live.keySet());
        }
        return snapshot;
    }

    synchronized boolean contains(SemanticVersion v) throws IOException {
        refresh();
        return live.containsKey(v);
    }

    /**
     * @return the audit offset of the last change indexed, or -1
     */
    synchronized long lastOffset() throws IOException {
        refresh();
        return lastOffset;
    }

    synchronized Optional<ModelVersion> find(SemanticVersion v) throws IOException {
        refresh();
        Long offset = live.get(v);
        if (offset == null) {
            return Optional.empty();
        }
        ModelVersion record = records.get(v);
        if (record == null) {
            Path file = offset < 0 ? recordFile(v) : audit;
            try {
                record = offset < 0 ? readRecordFile(file, v) : RecordJson.recordOfEvent(
                        AppendOnlyLog.lineAt(audit, offset, MAX_EVENT_BYTES), audit + " at byte " + offset);
            } catch (CorruptFileException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                String reason = String.valueOf(e.getMessage()).replaceFirst("^Corrupt registry record [^:]*: ", "");
                throw new CorruptFileException(file, (offset < 0 ? "" : "the event at byte " + offset + ": ") + reason, e);
            }
            if (!record.name().equals(model) || !record.version().equals(v.toString())) {
                throw new CorruptFileException(file, "it holds model '" + record.name() + "' version '" + record.version()
                        + "' instead of version '" + v + "'", null);
            }
            records.put(v, record);
        }
        return Optional.of(record);
    }

    private static ModelVersion readRecordFile(Path file, SemanticVersion v) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorruptFileException(file, "the index lists version '" + v + "' but its record is missing", e);
        }
        return RecordJson.version(bytes, file.toString());
    }

    /**
     * @return the index lines that were skipped, and the records that do not read
     */
    synchronized List<Problem> problems() throws IOException {
        refresh();
        List<Problem> out = new ArrayList<>();
        for (String line : damagedLines) {
            out.add(new Problem("model '" + model + "'", index.toString(), "skipped an unreadable index line '" + line
                    + "'; harmless, the other lines are used"));
        }
        for (SemanticVersion v : live.keySet()) {
            try {
                find(v);
            } catch (CorruptFileException e) {
                out.add(new Problem("model '" + model + "' version '" + v + "'", e.file().toString(), e.getMessage()
                        + "; delete the version with delete(name, version, true) or register it again with overwrite(true)"));
            }
        }
        return out;
    }

    /** The last complete line of the index, or empty. */
    Optional<String> lastLine() throws IOException {
        return AppendOnlyLog.lastLine(index);
    }

    private void refresh() throws IOException {
        // One stat instead of an open, a read and a close when nothing was appended: a get's common case.
        java.nio.file.attribute.BasicFileAttributes seen;
        try {
            seen = java.nio.file.Files.readAttributes(index, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            seen = null;
        }
        if (seen != null && indexEnd > 0 && seen.size() == indexEnd && seen.fileKey() != null
                && seen.fileKey().equals(indexKey)) {
            return; // the same file (appended to, never rewritten in place), no longer than what was read
        }
        indexKey = seen == null ? null : seen.fileKey();
        AppendOnlyLog.Lines lines = AppendOnlyLog.readFrom(index, indexEnd);
        if (lines.end() < indexEnd) {
            // the index was replaced or cut below what we had read: start over
            live.clear();
            snapshot = null;
            lastOffset = -1;
            records.clear();
            damagedLines.clear();
            indexEnd = 0;
            lines = AppendOnlyLog.readFrom(index, 0);
        }
        if (!lines.lines().isEmpty()) {
            snapshot = null;
        }
        for (String line : lines.lines()) {
            int at = line.indexOf(" @");
            SemanticVersion v = parse(at < 0 ? line : line.substring(0, at));
            long offset = at < 0 ? -1 : parseOffset(line.substring(at + 2));
            if (v == null || (at >= 0 && offset < 0)) {
                String shown = line.length() > 80 ? line.substring(0, 80) + "\u2026" : line;
                damagedLines.add(shown);
                LOG.warn("Skipping an unreadable line of {}: '{}'", index, shown);
                continue;
            }
            records.remove(v); // added again means overwritten: re-read the record
            if (line.charAt(0) == '+') {
                live.put(v, offset);
            } else {
                live.remove(v);
            }
            lastOffset = Math.max(lastOffset, offset);
        }
        indexEnd = lines.end();
    }

    private static long parseOffset(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static SemanticVersion parse(String line) {
        if (line.length() < 2 || (line.charAt(0) != '+' && line.charAt(0) != '-')) {
            return null;
        }
        try {
            return SemanticVersion.parse(line.substring(1));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
