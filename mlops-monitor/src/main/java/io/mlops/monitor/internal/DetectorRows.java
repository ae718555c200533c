package io.mlops.monitor.internal;

import io.mlops.monitor.spi.MonitorStore;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The SQL store's {@code change_detectors} rows: one per change-detecting rule, advanced by
 * compare-and-set on the window it was computed from, so that a fleet's instances observe each
 * window once.
 */
final class DetectorRows {

    /** The largest state kept (an ADWIN window of 1,000 observations is about 25 KB). */
    static final int MAX_STATE_CHARS = 1 << 20;

    private DetectorRows() {
    }

    static Optional<MonitorStore.DetectorState> read(SqlConnections db, String rule) throws IOException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT window_end_ms, state FROM change_detectors WHERE rule = ?")) {
                ps.setString(1, rule);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String state = rs.getString(2);
                    return Optional.of(new MonitorStore.DetectorState(rs.getLong(1),
                            state == null || state.length() > MAX_STATE_CHARS ? "{}" : state));
                }
            }
        });
    }

    static boolean advance(SqlConnections db, String rule, long previous, MonitorStore.DetectorState next) throws IOException {
        if (next.state().length() > MAX_STATE_CHARS) {
            throw new IOException("a change detector's state of " + next.state().length() + " characters is over the limit of "
                    + MAX_STATE_CHARS);
        }
        return db.tx(c -> {
            if (previous < 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_detectors (rule, window_end_ms, state)"
                        + " VALUES (?, ?, ?) ON CONFLICT (rule) DO NOTHING")) {
                    ps.setString(1, rule);
                    ps.setLong(2, next.windowEndMillis());
                    ps.setString(3, next.state());
                    return ps.executeUpdate() == 1;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE change_detectors SET window_end_ms = ?, state = ?"
                    + " WHERE rule = ? AND window_end_ms = ?")) {
                ps.setLong(1, next.windowEndMillis());
                ps.setString(2, next.state());
                ps.setString(3, rule);
                ps.setLong(4, previous);
                return ps.executeUpdate() == 1;
            }
        });
    }
}
