package io.mlops.registry.internal;

import io.mlops.core.Problem;
import io.mlops.core.internal.io.AppendOnlyLog;
import io.mlops.registry.RegistryEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reading {@code audit.jsonl}: a damaged line is skipped with a warning, and reported as a problem. */
final class AuditLines {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLines.class);

    private AuditLines() {
    }

    /**
     * Reads every event into {@code events}; an unreadable line is logged, or, when {@code problems}
     * is given, reported there instead.
     */
    static void read(Path audit, List<RegistryEvent> events, List<Problem> problems) throws IOException {
        AppendOnlyLog.visitFrom(audit, 0, (offset, line) -> {
            try {
                events.add(RecordJson.event(line, audit.toString()));
            } catch (IOException | RuntimeException e) {
                if (problems == null) {
                    LOG.warn("Skipping the unreadable line at byte {} of {}: {}", offset, audit, e.getMessage());
                } else {
                    problems.add(new Problem("audit log", audit.toString(), "the event at byte " + offset + " is unreadable"
                            + " and missing from auditLog(); a version whose record it held is reported on its own"));
                }
            }
        });
    }
}
