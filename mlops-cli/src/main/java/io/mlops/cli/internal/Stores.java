package io.mlops.cli.internal;

import io.mlops.cli.MlopsCli;
import io.mlops.core.ConfigException;
import io.mlops.core.MlopsConfig;
import io.mlops.core.spi.BlobStore;
import io.mlops.data.DataVersioning;
import io.mlops.data.spi.DatasetStore;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.spi.ModelStore;
import io.mlops.s3.S3BlobStore;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where the commands' stores are, from the configuration ({@code --config}, {@code MLOPS_*}):
 * <ul>
 *   <li>{@code stores.jdbc}: a PostgreSQL (or SQLite) URL — the registry's, the datasets' and the
 *       monitor's metadata go there (fleet mode); without it, the file-system stores under the root
 *       and the monitor file {@code ROOT/monitor.db};</li>
 *   <li>{@code stores.s3.bucket} (with {@code endpoint}, {@code region}, {@code prefix},
 *       {@code path_style}): the artifacts' and datasets' bytes go to that bucket; credentials come
 *       from the AWS SDK's default chain (environment, system properties, profile), never from the
 *       file. Without it, the bytes stay under the root.</li>
 * </ul>
 */
final class Stores {

    private final MlopsCli cli;
    private final MlopsConfig config;

    Stores(MlopsCli cli) {
        this.cli = cli;
        this.config = cli.config();
    }

    /** What a command does when the monitor file is missing. */
    enum MissingFile {
        /** Reading: a missing file is an error (reading must not create an empty store). */
        FAIL,
        /** Showing: no monitor then. */
        NONE,
        /** Logging: the store is created. */
        CREATE
    }

    /**
     * The monitor store a command's options choose: {@code --jdbc URL}, else {@code --db FILE}, else the
     * configured {@code stores.jdbc}, else {@code ROOT/monitor.db}.
     *
     * @return the store, or null (MissingFile.NONE and no file)
     * @throws java.nio.file.NoSuchFileException when the file is missing and that is an error
     */
    MonitorStore monitor(Path db, String jdbc, MissingFile missing) throws java.nio.file.NoSuchFileException {
        if (jdbc != null) {
            return missing == MissingFile.CREATE ? MonitorStore.jdbc(dataSource(jdbc)) : MonitorStore.jdbcReadOnly(dataSource(jdbc));
        }
        if (db == null) {
            DataSource shared = database();
            if (shared != null) {
                return missing == MissingFile.CREATE ? MonitorStore.jdbc(shared) : MonitorStore.jdbcReadOnly(shared);
            }
        }
        Path file = db != null ? db : root().resolve("monitor.db");
        if (missing != MissingFile.CREATE && !java.nio.file.Files.isRegularFile(file)) {
            if (missing == MissingFile.FAIL || db != null) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            return null;
        }
        return MonitorStore.sqlite(file);
    }

    /** The shared SQL database, or null. */
    private DataSource database() {
        return config.has("stores.jdbc") ? dataSource(config.getString("stores.jdbc")) : null;
    }

    /** A data source for a PostgreSQL or SQLite URL, named in messages by its URL with the password masked. */
    static DataSource dataSource(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(url);
            return new NamedDataSource(ds, masked(url));
        }
        if (url.startsWith("jdbc:sqlite:")) {
            org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
            ds.setUrl(url);
            return new NamedDataSource(ds, masked(url));
        }
        throw new ConfigException("stores.jdbc must be a jdbc:postgresql: or jdbc:sqlite: URL");
    }

    /** A JDBC URL with the value of any password parameter, and a password in user:password@, replaced by ***. */
    static String masked(String url) {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
    }

    /** The bucket for bytes, or null. */
    private BlobStore bucket() {
        if (!config.has("stores.s3.bucket")) {
            return null;
        }
        S3BlobStore.Builder b = S3BlobStore.builder().bucket(config.getString("stores.s3.bucket"));
        if (config.has("stores.s3.endpoint")) {
            b.endpoint(URI.create(config.getString("stores.s3.endpoint")));
        }
        if (config.has("stores.s3.region")) {
            b.region(config.getString("stores.s3.region"));
        }
        if (config.has("stores.s3.prefix")) {
            b.prefix(config.getString("stores.s3.prefix"));
        }
        if (config.has("stores.s3.path_style")) {
            b.pathStyle(config.getBoolean("stores.s3.path_style"));
        }
        return b.build();
    }

    private Path root() {
        Path root = cli.root();
        if (java.nio.file.Files.exists(root) && !java.nio.file.Files.isDirectory(root)) {
            throw new ExitCodes.UsageError("--root " + root + " is a file, not a folder: give the folder that holds (or will"
                    + " hold) registry/ and data/");
        }
        return root;
    }

    /** The registry when there is one (a shared database, or its folder under the root), else null. */
    ModelRegistry registryIfPresent() {
        return database() != null || java.nio.file.Files.isDirectory(root().resolve("registry")) ? registry(false) : null;
    }

    /** The data store when there is one, else null. */
    DataVersioning dataIfPresent() {
        return database() != null || java.nio.file.Files.isDirectory(root().resolve("data")) ? data(false) : null;
    }

    /** Checks that a store's folder exists unless the command may create it. */
    private static void existing(Path dir, boolean create, String what, String creator) {
        if (!create && !java.nio.file.Files.isDirectory(dir)) {
            throw new io.mlops.core.NotFoundException("No " + what + " at " + dir + " (give --root DIR or set MLOPS_ROOT;"
                    + " '" + creator + "' creates one)");
        }
    }

    /**
     * The registry; a command that only reads passes {@code create = false}, and then a registry
     * under the root that does not exist is a {@link io.mlops.core.NotFoundException} rather than an
     * empty registry made on the spot.
     */
    ModelRegistry registry(boolean create) {
        DataSource db = database();
        BlobStore bytes = bucket();
        if (db == null) {
            existing(root().resolve("registry"), create, "registry", "mlops registry register");
        }
        if (db == null && bytes == null) {
            return ModelRegistry.fileSystem(root().resolve("registry"));
        }
        return ModelRegistry.builder()
                .store(db != null ? ModelStore.jdbc(db) : ModelStore.fileSystem(root().resolve("registry/metadata")))
                .blobStore(bytes != null ? bytes : BlobStore.fileSystem(root().resolve("registry/blobs"))).build();
    }

    /** The data store; {@code create = false} for commands that only read (see {@link #registry}). */
    DataVersioning data(boolean create) {
        DataSource db = database();
        BlobStore bytes = bucket();
        if (db == null) {
            existing(root().resolve("data"), create, "data store", "mlops data commit");
        }
        if (db == null && bytes == null) {
            return DataVersioning.fileSystem(root().resolve("data"));
        }
        DataVersioning.Builder b = DataVersioning.builder();
        if (db != null) {
            b.store(DatasetStore.jdbc(db));
        } else {
            b.store(DatasetStore.fileSystem(root().resolve("data/metadata")));
        }
        return b.blobStore(bytes != null ? bytes : BlobStore.fileSystem(root().resolve("data/blobs"))).build();
    }
}
