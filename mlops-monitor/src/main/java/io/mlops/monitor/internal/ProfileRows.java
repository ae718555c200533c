package io.mlops.monitor.internal;

import io.mlops.monitor.spi.MonitorStore;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The SQL store's {@code input_profiles} rows: one serialised profile per hour and writer, replaced in place. */
final class ProfileRows {

    private ProfileRows() {
    }

    static void write(SqlConnections db, long hourMillis, String writer, byte[] profile) throws IOException {
        if (profile.length > MonitorStore.MAX_PROFILE_BYTES) {
            throw new IOException("an input profile of " + profile.length + " bytes is over the limit of "
                    + MonitorStore.MAX_PROFILE_BYTES);
        }
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO input_profiles (hour_ms, writer, updated_ms, profile)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (hour_ms, writer) DO UPDATE SET updated_ms = excluded.updated_ms,"
                    + " profile = excluded.profile")) {
                ps.setLong(1, hourMillis);
                ps.setString(2, writer);
                ps.setLong(3, System.currentTimeMillis());
                ps.setBytes(4, profile);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The rows of the hours in [from, to) of that writer only, or of every other writer; oversized rows are left out. */
    static List<MonitorStore.StoredProfile> read(SqlConnections db, long fromMillis, long toMillis, String writer, boolean only)
            throws IOException {
        return db.read(c -> {
            List<MonitorStore.StoredProfile> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT hour_ms, writer, profile FROM input_profiles"
                    + " WHERE hour_ms >= ? AND hour_ms < ? AND writer " + (only ? "=" : "<>") + " ? AND length(profile) <= ?"
                    + " ORDER BY hour_ms, writer")) {
                ps.setLong(1, fromMillis);
                ps.setLong(2, toMillis);
                ps.setString(3, writer);
                ps.setLong(4, MonitorStore.MAX_PROFILE_BYTES);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MonitorStore.StoredProfile(rs.getLong(1), rs.getString(2), rs.getBytes(3)));
                    }
                }
            }
            return out;
        });
    }
}
