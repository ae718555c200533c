package io.mlops.registry.internal;

import io.mlops.core.internal.io.JsonRecords;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mlops.core.Names;
import io.mlops.core.internal.io.AtomicFiles;
import io.mlops.core.spi.CorruptFileException;
import io.mlops.core.spi.IoSupplier;
import io.mlops.registry.AliasChange;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's alias histories: {@code aliases/ALIAS.json}, one JSON array of changes per alias,
 * rewritten atomically (and durably) with each move. Moves are rare, so the history is not
 * recovered from the audit log but written before the move returns. A damaged file fails reads of
 * its alias only ({@link CorruptFileException}); the next move of the alias rewrites it from the
 * audit log, which records every move.
 */
final class AliasFiles {

    private AliasFiles() {
    }

    static List<AliasChange> history(Path modelDir, String alias) throws IOException {
        Path file = modelDir.resolve("aliases").resolve(Names.validate("alias", alias) + ".json");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        try {
            JsonNode array = RecordJson.parse(bytes, file.toString());
            if (!array.isArray()) {
                throw new IOException("not a JSON array");
            }
            List<AliasChange> changes = new ArrayList<>(array.size());
            for (JsonNode n : array) {
                changes.add(RecordJson.aliasChange(n, file.toString()));
            }
            return changes;
        } catch (IOException | RuntimeException e) {
            throw new CorruptFileException(file, "the history of alias '" + alias + "' cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Whether two changes are the same move (from, to and time). */
    static boolean same(AliasChange a, AliasChange b) {
        return java.util.Objects.equals(a.from(), b.from()) && java.util.Objects.equals(a.to(), b.to()) && a.at().equals(b.at());
    }

    static List<String> names(Path modelDir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(modelDir.resolve("aliases"), "*.json")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                names.add(n.substring(0, n.length() - ".json".length()));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        names.removeIf(n -> !Names.isValid(n));
        names.sort(null);
        return names;
    }

    /**
     * Rewrites an alias's history with one more change. A damaged history is replaced by the one
     * the audit log records (which holds the change already: its event is committed first).
     */
    static void append(Path modelDir, AliasChange change, IoSupplier<List<AliasChange>> fromAudit) throws IOException {
        List<AliasChange> history;
        try {
            history = new ArrayList<>(history(modelDir, change.alias()));
        } catch (CorruptFileException damaged) {
            history = new ArrayList<>(fromAudit.get());
        }
        if (history.stream().noneMatch(h -> same(h, change))) {
            history.add(change);
        }
        ArrayNode array = JsonRecords.array();
        for (AliasChange c : history) {
            array.add(RecordJson.aliasChange(c));
        }
        Path file = modelDir.resolve("aliases").resolve(change.alias() + ".json");
        AtomicFiles.write(file, JsonRecords.fileBytes(array));
    }
}
