package io.mlops.data.internal;

import io.mlops.core.Problem;
import io.mlops.core.StorageException;
import io.mlops.core.spi.CorruptFileException;
import io.mlops.core.spi.IoSupplier;
import io.mlops.core.internal.sql.Sql;
import io.mlops.core.internal.sql.SqlDatabase;
import io.mlops.data.spi.DatasetStore;
import io.mlops.data.spi.StoredVersion;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link DatasetStore} in PostgreSQL or SQLite, shared by every process that reaches the
 * database. One row per version (its JSON record, its blobs, and a commit sequence number that
 * orders {@link #ids} and {@link #children}), one row per lineage edge and one per distinct part
 * of a folder version (so that {@link #isBlobReferenced} is two index lookups); tables in
 * {@link DataSchema}, recorded as schema component {@code data}. {@link #writeLocked} is one
 * transaction under the database's {@code data} lock (an advisory lock on PostgreSQL, an immediate
 * transaction on SQLite): a version and its edges commit together, and a killed writer's
 * transaction rolls back. Thread-safe.
 */
public final class JdbcDatasetStore implements DatasetStore {

    private final SqlDatabase db;

    /**
     * Opens the store and brings its tables to the current schema.
     *
     * @param dataSource connections to the database (pooled, in production)
     * @throws StorageException when the database cannot be reached or migrated
     */
    public JdbcDatasetStore(DataSource dataSource) {
        this.db = SqlDatabase.open(dataSource, "data-versioning", Duration.ofSeconds(30));
        StorageException.wrap("Data-versioning schema", () -> db.exclusive("schema", c -> {
            // step 2 and the index of the folder versions stored before it commit together
            if (io.mlops.core.internal.sql.Migrations.apply(c, "data", DataSchema.STEPS, db.toString()) == 1) {
                indexParts(c);
            }
            return null;
        }));
    }

    /** Indexes the parts of the folder versions stored before the parts table existed. */
    private void indexParts(java.sql.Connection c) throws java.sql.SQLException, IOException {
        List<StoredVersion> folders = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, record FROM mlops_dataset_versions WHERE record LIKE ?")) {
            p.setString(1, "%\"parts\"%");
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    try {
                        folders.add(parse(rs.getString(1), rs.getString(2)));
                    } catch (CorruptFileException e) {
                        // unreadable either way; verify() names it
                        org.slf4j.LoggerFactory.getLogger(JdbcDatasetStore.class).warn("Not indexing the parts of {}: {}",
                                rs.getString(1), e.getMessage());
                    }
                }
            }
        }
        for (StoredVersion v : folders) {
            insertParts(c, v);
        }
    }

    private static void insertParts(java.sql.Connection c, StoredVersion version) throws java.sql.SQLException {
        for (String part : new java.util.TreeSet<>(version.parts().stream().map(StoredVersion.Part::sha256).toList())) {
            Sql.update(c, "INSERT INTO mlops_dataset_parts (version_id, sha256) VALUES (?, ?)", version.version().id(), part);
        }
    }

    @Override
    public <T> T writeLocked(IoSupplier<T> action) throws IOException {
        return db.exclusive("data", c -> action.get());
    }

    @Override
    public Optional<StoredVersion> find(String id) throws IOException {
        String text = db.read(c -> Sql.first(c, "SELECT record FROM mlops_dataset_versions WHERE id = ?", id));
        return text == null ? Optional.empty() : Optional.of(parse(id, text));
    }

    private StoredVersion parse(String id, String text) throws CorruptFileException {
        Path row = Path.of("mlops_dataset_versions", id);
        return Sql.parseRow(row, () -> {
            StoredVersion v = Records.version(text.getBytes(StandardCharsets.UTF_8), "in the " + db);
            if (!v.version().id().equals(id)) {
                throw new CorruptFileException(row, "it holds version '" + v.version().id() + "'", null);
            }
            return v;
        });
    }

    @Override
    public List<String> ids(String name) throws IOException {
        return db.read(c -> Sql.strings(c, "SELECT id FROM mlops_dataset_versions WHERE name = ? ORDER BY seq", name));
    }

    @Override
    public List<String> names() throws IOException {
        List<String> names = db.read(c -> Sql.strings(c, "SELECT DISTINCT name FROM mlops_dataset_versions"));
        names.sort(null);
        return names;
    }

    @Override
    public List<String> children(String id) throws IOException {
        return db.read(c -> Sql.strings(c, "SELECT p.child FROM mlops_dataset_parents p"
                + " JOIN mlops_dataset_versions v ON v.id = p.child WHERE p.parent = ? ORDER BY v.seq", id));
    }

    @Override
    public void put(StoredVersion version) throws IOException {
        String id = version.version().id();
        String record = Records.versionText(version);
        db.exclusive("data", c -> {
            if (Sql.first(c, "SELECT id FROM mlops_dataset_versions WHERE id = ?", id) != null) {
                throw new IllegalStateException("version " + id + " exists already");
            }
            long seq = Sql.next(c, "SELECT MAX(seq) FROM mlops_dataset_versions");
            Sql.update(c, "INSERT INTO mlops_dataset_versions (id, name, seq, blob_sha256, schema_sha256, record)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", id, version.version().name(), seq, version.blobSha256(),
                    version.schemaSha256(), record);
            insertParts(c, version);
            int position = 0;
            for (String parent : version.version().parents()) {
                Sql.update(c, "INSERT INTO mlops_dataset_parents (child, parent, position) VALUES (?, ?, ?)",
                        id, parent, position++);
            }
            return null;
        });
    }

    @Override
    public boolean delete(String id) throws IOException {
        return db.exclusive("data", c -> {
            if (Sql.update(c, "DELETE FROM mlops_dataset_versions WHERE id = ?", id) == 0) {
                return false;
            }
            Sql.update(c, "DELETE FROM mlops_dataset_parents WHERE child = ?", id);
            Sql.update(c, "DELETE FROM mlops_dataset_parts WHERE version_id = ?", id);
            return true;
        });
    }

    @Override
    public boolean isBlobReferenced(String sha256) throws IOException {
        // each by index: a version's own blobs, and the parts of folder versions
        return db.read(c -> Sql.first(c, "SELECT id FROM mlops_dataset_versions WHERE blob_sha256 = ? OR schema_sha256 = ? LIMIT 1",
                sha256, sha256) != null || Sql.first(c, "SELECT version_id FROM mlops_dataset_parts WHERE sha256 = ? LIMIT 1",
                sha256) != null);
    }

    @Override
    public List<Problem> verify() throws IOException {
        List<Problem> out = new ArrayList<>();
        db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, record FROM mlops_dataset_versions ORDER BY seq");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    try {
                        parse(rs.getString(1), rs.getString(2));
                    } catch (CorruptFileException e) {
                        out.add(new Problem("dataset version '" + rs.getString(1) + "'", e.file().toString(), e.getMessage()
                                + "; delete the version with delete(id), or commit the same content again"));
                    }
                }
            }
            return null;
        });
        return out;
    }

    @Override
    public String toString() {
        return "JdbcDatasetStore[" + db + "]";
    }
}
