package io.mlops.registry.internal;

import io.mlops.core.internal.io.AppendOnlyLog;
import io.mlops.core.internal.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writing a model's {@code index.log} ({@link ModelIndex} reads it). A line naming its audit event
 * ({@code +VERSION @OFFSET}) is appended without an fsync: the event is the durable record and the
 * line is recovered from it. With offset -1 (a store-level write without an event, and stores
 * written before 0.2) the line is durable on its own and the record is a file,
 * {@code versions/VERSION.json}.
 */
final class IndexFiles {

    static final String INDEX = "index.log";

    private IndexFiles() {
    }

    static Path recordFile(Path modelDir, String version) {
        return modelDir.resolve("versions").resolve(version + ".json");
    }

    /** Makes a version visible. A record file of an older store is superseded by the event and removed. */
    static void add(Path modelDir, String version, long eventOffset) throws IOException {
        Path index = modelDir.resolve(INDEX);
        if (eventOffset < 0) {
            AppendOnlyLog.append(index, "+" + version);
        } else {
            AppendOnlyLog.appendUnsynced(index, "+" + version + " @" + eventOffset);
            Files.deleteIfExists(recordFile(modelDir, version));
        }
    }

    /** Removes a version: its index line, then any record file. */
    static void remove(Path modelDir, String version, long eventOffset) throws IOException {
        Path index = modelDir.resolve(INDEX);
        Path record = recordFile(modelDir, version);
        if (eventOffset < 0) {
            AppendOnlyLog.append(index, "-" + version);
            if (Files.deleteIfExists(record)) {
                AtomicFiles.fsyncDirectory(record.getParent());
            }
        } else {
            AppendOnlyLog.appendUnsynced(index, "-" + version + " @" + eventOffset);
            Files.deleteIfExists(record);
        }
    }

    /** Completes a deletion of an older store's last event: the index line unless it is the last already, and the record. */
    static void removeIfListed(Path modelDir, String version) throws IOException {
        Path index = modelDir.resolve(INDEX);
        if (!AppendOnlyLog.lastLine(index).map(("-" + version)::equals).orElse(false)) {
            AppendOnlyLog.append(index, "-" + version);
        }
        Path record = recordFile(modelDir, version);
        if (Files.deleteIfExists(record)) {
            AtomicFiles.fsyncDirectory(record.getParent());
        }
    }
}
