package io.mlops.registry.internal;

import io.mlops.core.Problem;
import io.mlops.core.SemanticVersion;
import io.mlops.core.io.AppendOnlyLog;
import io.mlops.core.io.CorruptFileException;
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
import java.util.TreeSet;

/**
 * One model's {@code index.log}, followed incrementally, and its version records, read once.
 *
 * <p><b>Damage stays local.</b> A line of the index that is not {@code +VERSION} or
 * {@code -VERSION} is skipped with a warning and reported by {@link #problems()}; a record file that
 * does not parse, or names another version, fails {@link #find} of that version only, with a
 * {@link CorruptFileException} naming the file. Thread-safe (one lock per model).
 */
final class ModelIndex {

    private static final Logger LOG = LoggerFactory.getLogger(ModelIndex.class);

    private final String model;
    private final Path dir;
    private final Path index;
    private long indexEnd;
    private final TreeSet<SemanticVersion> live = new TreeSet<>();
    private final Map<SemanticVersion, ModelVersion> records = new HashMap<>();
    private final List<String> damagedLines = new ArrayList<>();

    ModelIndex(String model, Path dir) {
        this.model = model;
        this.dir = dir;
        this.index = dir.resolve("index.log");
    }

    Path recordFile(SemanticVersion v) {
        return dir.resolve("versions").resolve(v + ".json");
    }

    synchronized List<SemanticVersion> versions() throws IOException {
        refresh();
        return List.copyOf(live);
    }

    synchronized boolean contains(SemanticVersion v) throws IOException {
        refresh();
        return live.contains(v);
    }

    synchronized Optional<ModelVersion> find(SemanticVersion v) throws IOException {
        refresh();
        if (!live.contains(v)) {
            return Optional.empty();
        }
        ModelVersion record = records.get(v);
        if (record == null) {
            Path file = recordFile(v);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new CorruptFileException(file, "the index lists version '" + v + "' but its record is missing", e);
            }
            try {
                record = RecordJson.version(bytes, file.toString());
            } catch (IOException | RuntimeException e) {
                String reason = String.valueOf(e.getMessage()).replace("Corrupt registry record " + file + ": ", "");
                throw new CorruptFileException(file, reason, e);
            }
            if (!record.name().equals(model) || !record.version().equals(v.toString())) {
                throw new CorruptFileException(file, "it holds model '" + record.name() + "' version '" + record.version()
                        + "' instead of version '" + v + "'", null);
            }
            records.put(v, record);
        }
        return Optional.of(record);
    }

    /**
     * Returns the index lines that were skipped, and the records that do not read.
     *
     * @return the index lines that were skipped, and the records that do not read
     */
    synchronized List<Problem> problems() throws IOException {
        refresh();
        List<Problem> out = new ArrayList<>();
        for (String line : damagedLines) {
            out.add(new Problem("model '" + model + "'", index.toString(), "skipped an unreadable index line '" + line
                    + "'; harmless, the other lines are used"));
        }
        for (SemanticVersion v : live) {
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
        AppendOnlyLog.Lines lines = AppendOnlyLog.readFrom(index, indexEnd);
        if (lines.end() < indexEnd) {
            // the index was replaced or cut below what we had read: start over
            live.clear();
            records.clear();
            damagedLines.clear();
            indexEnd = 0;
            lines = AppendOnlyLog.readFrom(index, 0);
        }
        for (String line : lines.lines()) {
            SemanticVersion v = parse(line);
            if (v == null) {
                String shown = line.length() > 80 ? line.substring(0, 80) + "\u2026" : line;
                damagedLines.add(shown);
                LOG.warn("Skipping an unreadable line of {}: '{}'", index, shown);
                continue;
            }
            records.remove(v); // added again means overwritten: re-read the record
            if (line.charAt(0) == '+') {
                live.add(v);
            } else {
                live.remove(v);
            }
        }
        indexEnd = lines.end();
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
