package io.mlops.registry.internal;

import io.mlops.core.internal.io.AppendOnlyLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A version's signatures in the file-system store: {@code models/NAME/signatures/VERSION.jsonl},
 * one DSSE envelope per line, append-only; written as the effect of the {@code SIGNED} event that
 * carries the envelope (so a crash between the two is completed from the audit log), removed with
 * the version.
 */
final class SignatureFiles {

    static final String DIR = "signatures";
    /** More envelopes than this per version are not read: no release signs a version this often. */
    static final int MAX_PER_VERSION = 256;

    private SignatureFiles() {
    }

    static Path file(Path modelDir, String version) {
        return modelDir.resolve(DIR).resolve(version + ".jsonl");
    }

    /**
     * Appends an envelope unless the file holds it already (a completion after a crash).
     *
     * @param durable whether to fsync now (else the audit line that carries it is the commit, and
     *     the next checkpoint syncs the file)
     * @return the file
     */
    static Path append(Path modelDir, String version, String envelope, boolean durable) throws IOException {
        Path f = file(modelDir, version);
        if (read(modelDir, version).contains(envelope)) {
            return f;
        }
        Files.createDirectories(f.getParent());
        if (durable) {
            AppendOnlyLog.append(f, envelope);
        } else {
            AppendOnlyLog.appendUnsynced(f, envelope);
        }
        return f;
    }

    static List<String> read(Path modelDir, String version) throws IOException {
        try {
            List<String> lines = AppendOnlyLog.read(file(modelDir, version)).lines();
            return lines.size() > MAX_PER_VERSION ? List.copyOf(lines.subList(0, MAX_PER_VERSION)) : lines;
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    static void delete(Path modelDir, String version) throws IOException {
        Files.deleteIfExists(file(modelDir, version));
    }
}
