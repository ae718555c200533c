package io.mlops.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mlops.core.Names;
import io.mlops.core.io.AtomicFiles;
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
 * recovered from the audit log but written before the move returns.
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
        JsonNode array = RecordJson.parse(bytes, file.toString());
        List<AliasChange> changes = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            changes.add(RecordJson.aliasChange(n, file.toString()));
        }
        return changes;
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

    /** Rewrites an alias's history with one more change. */
    static void append(Path modelDir, AliasChange change) throws IOException {
        List<AliasChange> history = new ArrayList<>(history(modelDir, change.alias()));
        history.add(change);
        ArrayNode array = RecordJson.MAPPER.createArrayNode();
        for (AliasChange c : history) {
            array.add(RecordJson.aliasChange(c));
        }
        Path file = modelDir.resolve("aliases").resolve(change.alias() + ".json");
        AtomicFiles.write(file, RecordJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(array));
    }
}
