package io.mlops.registry.internal;

import io.mlops.core.internal.io.JsonRecords;

import io.mlops.core.Problem;
import io.mlops.core.SemanticVersion;
import io.mlops.core.spi.CorruptFileException;
import io.mlops.core.spi.IoSupplier;
import io.mlops.core.internal.sql.Sql;
import io.mlops.core.internal.sql.SqlDatabase;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.spi.ModelStore;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link ModelStore} in PostgreSQL or SQLite, shared by every process that reaches the database.
 *
 * <p>Tables (schema component {@code registry}, version 1, see {@link RegistrySchema}): one row per
 * version holding its JSON record, one row per alias move, one per audit event, and one per model
 * whose {@code generation} changes (to a fresh random number) with every put or delete, so that a
 * process can keep a model's sorted version list and re-read it only when another writer changed
 * it. {@link #writeLocked} is one transaction under the database's {@code registry} lock (an
 * advisory lock on PostgreSQL, an immediate transaction on SQLite): a mutation and its audit event
 * commit together or not at all, and numbering under the lock never duplicates. A killed process
 * leaves nothing: its transaction rolls back and its lock goes with its connection. Alias moves
 * are announced on PostgreSQL with {@code NOTIFY} on channel {@value RegistrySchema#CHANNEL} when they commit.
 * Thread-safe.
 */
public final class JdbcModelStore implements ModelStore {

    private final SqlDatabase db;
    /** Per model: the generation read and the sorted versions at it. */
    private final Map<String, Generation> cache = new ConcurrentHashMap<>();

    private record Generation(long id, List<SemanticVersion> versions) {
    }

    /**
     * Opens the store and brings its tables to the current schema.
     *
     * @param dataSource connections to the database (pooled, in production)
     * @throws io.mlops.core.StorageException when the database cannot be reached or migrated
     */
    public JdbcModelStore(DataSource dataSource) {
        this.db = SqlDatabase.open(dataSource, "registry", Duration.ofSeconds(30));
        io.mlops.core.StorageException.wrap("Registry schema", () -> db.migrate("registry", RegistrySchema.STEPS));
    }

    /**
     * @return the database
     */
    SqlDatabase database() {
        return db;
    }

    @Override
    public <T> T writeLocked(IoSupplier<T> action) throws IOException {
        return db.exclusive("registry", c -> action.get());
    }

    @Override
    public List<String> models() throws IOException {
        return db.read(c -> sorted(Sql.strings(c, "SELECT DISTINCT model FROM mlops_model_versions")));
    }

    @Override
    public List<SemanticVersion> versions(String model) throws IOException {
        return db.read(c -> {
            Long generation = generation(c, model);
            if (generation == null) {
                return List.of();
            }
            Generation cached = cache.get(model);
            if (cached != null && cached.id == generation) {
                return cached.versions;
            }
            List<SemanticVersion> versions = new ArrayList<>();
            for (String v : Sql.strings(c, "SELECT version FROM mlops_model_versions WHERE model = ?", model)) {
                versions.add(SemanticVersion.parse(v));
            }
            Collections.sort(versions);
            List<SemanticVersion> list = List.copyOf(versions);
            cache.put(model, new Generation(generation, list));
            return list;
        });
    }

    @Override
    public Optional<ModelVersion> find(String model, SemanticVersion version) throws IOException {
        String text = db.read(c -> Sql.first(c, "SELECT record FROM mlops_model_versions WHERE model = ? AND version = ?",
                model, version.toString()));
        return text == null ? Optional.empty() : Optional.of(parseVersion(text, model, version.toString()));
    }

    private ModelVersion parseVersion(String text, String model, String version) throws CorruptFileException {
        Path row = Path.of("mlops_model_versions", model, version);
        return Sql.parseRow(row, () -> {
            ModelVersion v = RecordJson.version(text.getBytes(StandardCharsets.UTF_8), "in the " + db);
            if (!v.name().equals(model) || !v.semanticVersion().toString().equals(version)) {
                throw new CorruptFileException(row, "it holds model '" + v.name() + "' version '" + v.version() + "'", null);
            }
            return v;
        });
    }

    @Override
    public void put(ModelVersion version) throws IOException {
        String key = version.semanticVersion().toString();
        String record = RecordJson.versionText(version);
        db.exclusive("registry", c -> {
            List<SemanticVersion> before = versions(version.name());
            int updated = Sql.update(c, "UPDATE mlops_model_versions SET sha256 = ?, record = ? WHERE model = ? AND version = ?",
                    version.sha256(), record, version.name(), key);
            if (updated == 0) {
                Sql.update(c, "INSERT INTO mlops_model_versions (sha256, record, model, version) VALUES (?, ?, ?, ?)",
                        version.sha256(), record, version.name(), key);
            }
            List<SemanticVersion> after = new ArrayList<>(before);
            int at = Collections.binarySearch(after, version.semanticVersion());
            if (at < 0) {
                after.add(-at - 1, version.semanticVersion());
            }
            changed(c, version.name(), after);
            return null;
        });
    }

    @Override
    public boolean delete(String model, SemanticVersion version) throws IOException {
        return db.exclusive("registry", c -> {
            List<SemanticVersion> before = versions(model);
            if (Sql.update(c, "DELETE FROM mlops_model_versions WHERE model = ? AND version = ?", model, version.toString()) == 0) {
                return false;
            }
            Sql.update(c, "DELETE FROM mlops_signatures WHERE model = ? AND version = ?", model, version.toString());
            List<SemanticVersion> after = new ArrayList<>(before);
            after.remove(version);
            changed(c, model, after);
            return true;
        });
    }

    /** Gives the model a fresh generation; the list is what it holds at that generation. */
    private void changed(Connection c, String model, List<SemanticVersion> versions) throws SQLException {
        long generation = ThreadLocalRandom.current().nextLong();
        if (Sql.update(c, "UPDATE mlops_models SET generation = ? WHERE model = ?", generation, model) == 0) {
            Sql.update(c, "INSERT INTO mlops_models (generation, model) VALUES (?, ?)", generation, model);
        }
        // A random generation that a rollback discards is never read again, so caching it now is safe.
        cache.put(model, new Generation(generation, List.copyOf(versions)));
    }

    private static Long generation(Connection c, String model) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT generation FROM mlops_models WHERE model = ?")) {
            p.setString(1, model);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    @Override
    public List<AliasChange> aliasHistory(String model, String alias) throws IOException {
        List<String> rows = db.read(c -> Sql.strings(c,
                "SELECT record FROM mlops_alias_changes WHERE model = ? AND alias = ? ORDER BY seq", model, alias));
        List<AliasChange> out = new ArrayList<>(rows.size());
        for (String row : rows) {
            String source = "alias row of '" + model + "'/'" + alias + "' in the " + db;
            out.add(RecordJson.aliasChange(RecordJson.parse(row.getBytes(StandardCharsets.UTF_8), source), source));
        }
        return out;
    }

    @Override
    public List<String> aliasNames(String model) throws IOException {
        return db.read(c -> sorted(Sql.strings(c, "SELECT DISTINCT alias FROM mlops_alias_changes WHERE model = ?", model)));
    }

    @Override
    public void appendAliasChange(AliasChange change) throws IOException {
        String record = JsonRecords.line(RecordJson.aliasChange(change));
        db.exclusive("registry", c -> {
            long seq = Sql.next(c, "SELECT MAX(seq) FROM mlops_alias_changes WHERE model = ? AND alias = ?", change.model(), change.alias());
            Sql.update(c, "INSERT INTO mlops_alias_changes (model, alias, seq, record) VALUES (?, ?, ?, ?)",
                    change.model(), change.alias(), seq, record);
            if (db.dialect() == SqlDatabase.Dialect.POSTGRESQL) {
                try (PreparedStatement p = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    p.setString(1, RegistrySchema.CHANNEL);
                    p.setString(2, change.model());
                    p.execute();
                }
            }
            return null;
        });
    }

    @Override
    public void appendEvent(RegistryEvent event) throws IOException {
        String line = RecordJson.eventLine(event);
        db.exclusive("registry", c -> {
            long seq = Sql.next(c, "SELECT MAX(seq) FROM mlops_registry_events");
            Sql.update(c, "INSERT INTO mlops_registry_events (seq, record) VALUES (?, ?)", seq, line);
            return null;
        });
    }

    @Override
    public AutoCloseable watch(Runnable onChange) {
        return db.listen(RegistrySchema.CHANNEL, onChange);
    }

    @Override
    public java.util.Optional<String> value(String key) throws IOException {
        return java.util.Optional.ofNullable(db.read(c -> Sql.first(c, "SELECT value FROM mlops_registry_values WHERE name = ?", key)));
    }

    @Override
    public boolean compareAndSetValue(String key, String expected, String next) throws IOException {
        return db.exclusive("registry", c -> expected == null
                ? Sql.update(c, "INSERT INTO mlops_registry_values (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", key,
                        next) == 1
                : Sql.update(c, "UPDATE mlops_registry_values SET value = ? WHERE name = ? AND value = ?", next, key, expected) == 1);
    }

    @Override
    public void appendSignature(String model, SemanticVersion version, String envelope) throws IOException {
        db.exclusive("registry", c -> {
            long seq = Sql.next(c, "SELECT MAX(seq) FROM mlops_signatures WHERE model = ? AND version = ?", model, version.toString());
            Sql.update(c, "INSERT INTO mlops_signatures (model, version, seq, envelope) VALUES (?, ?, ?, ?)", model,
                    version.toString(), seq, envelope);
            return null;
        });
    }

    @Override
    public List<String> signatures(String model, SemanticVersion version) throws IOException {
        return db.read(c -> Sql.strings(c, "SELECT envelope FROM mlops_signatures WHERE model = ? AND version = ? ORDER BY seq",
                model, version.toString()));
    }

    /** The last readable event: the newest rows first, a damaged one skipped (verify() reports it). */
    @Override
    public java.util.Optional<RegistryEvent> lastEvent() throws IOException {
        List<String> rows = db.read(c -> Sql.strings(c, "SELECT record FROM mlops_registry_events ORDER BY seq DESC LIMIT 16"));
        for (String row : rows) {
            try {
                return java.util.Optional.of(RecordJson.event(row, "audit row in the " + db));
            } catch (IOException | RuntimeException damaged) {
                // an older row then
            }
        }
        return rows.size() < 16 ? java.util.Optional.empty() : ModelStore.super.lastEvent();
    }

    @Override
    public List<RegistryEvent> events(List<Problem> unreadable) throws IOException {
        return db.read(c -> {
            List<RegistryEvent> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT seq, record FROM mlops_registry_events ORDER BY seq");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(RecordJson.event(rs.getString(2), "audit row " + rs.getLong(1)));
                    } catch (IOException | RuntimeException e) {
                        unreadable.add(new Problem("audit log", "mlops_registry_events/" + rs.getLong(1),
                                "the event does not read (" + e.getMessage() + "); history() skips it"));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<RegistryEvent> events() throws IOException {
        return events(new ArrayList<>()); // a damaged row is skipped here and reported by verify()
    }

    @Override
    public boolean isArtifactReferenced(String sha256) throws IOException {
        return db.read(c -> Sql.first(c, "SELECT model FROM mlops_model_versions WHERE sha256 = ? LIMIT 1", sha256) != null);
    }

    @Override
    public List<Problem> verify() throws IOException {
        List<Problem> problems = new ArrayList<>();
        db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT model, version, record FROM mlops_model_versions");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    try {
                        parseVersion(rs.getString(3), rs.getString(1), rs.getString(2));
                    } catch (CorruptFileException e) {
                        problems.add(new Problem(rs.getString(1) + ":" + rs.getString(2), e.file().toString(),
                                e.getMessage() + "; re-register the version or delete it"));
                    }
                }
            }
            return null;
        });
        events(problems); // every audit row that does not read
        return problems;
    }

    private static List<String> sorted(List<String> names) {
        names.sort(null);
        return names;
    }

    @Override
    public String toString() {
        return "JdbcModelStore[" + db + "]";
    }
}
