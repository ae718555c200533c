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

    /** The shared SQL database, or null. */
    private DataSource database() {
        if (!config.has("stores.jdbc")) {
            return null;
        }
        String url = config.getString("stores.jdbc");
        if (url.startsWith("jdbc:postgresql:")) {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(url);
            return ds;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
            ds.setUrl(url);
            return ds;
        }
        throw new ConfigException("stores.jdbc must be a jdbc:postgresql: or jdbc:sqlite: URL");
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
        return cli.root();
    }

    ModelRegistry registry() {
        DataSource db = database();
        BlobStore bytes = bucket();
        if (db == null && bytes == null) {
            return ModelRegistry.fileSystem(root().resolve("registry"));
        }
        return ModelRegistry.builder()
                .store(db != null ? ModelStore.jdbc(db) : ModelStore.fileSystem(root().resolve("registry/metadata")))
                .blobStore(bytes != null ? bytes : BlobStore.fileSystem(root().resolve("registry/blobs"))).build();
    }

    DataVersioning data() {
        DataSource db = database();
        BlobStore bytes = bucket();
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

    /** The shared monitor store, or null when the monitor is the file under the root. */
    MonitorStore monitor() {
        DataSource db = database();
        return db == null ? null : MonitorStore.jdbc(db);
    }
}
