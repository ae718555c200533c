package io.mlops.spring.boot;

import io.mlops.core.spi.BlobStore;
import io.mlops.data.DataVersioning;
import io.mlops.data.spi.DatasetStore;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.spi.ModelStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * The registry, data versioning and monitor from {@link MlopsProperties}: on the file system under
 * {@code mlops.root} (as {@code mlops --root} lays it out), or with {@code mlops.store=jdbc} in the
 * application's own {@code DataSource} (the tables are created or upgraded on first use), artifacts
 * and dataset bytes in {@code mlops.s3.bucket} when set. Each bean is made only when the
 * application defines none of its type; the monitor is closed (flushed) with the context.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(MlopsProperties.class)
public class MlopsAutoConfiguration {

    /**
     * The model registry.
     *
     * @param p the properties
     * @param dataSource the application's DataSource, needed with {@code mlops.store=jdbc}
     * @return the registry
     */
    @Bean
    @ConditionalOnMissingBean
    public ModelRegistry mlopsModelRegistry(MlopsProperties p, ObjectProvider<DataSource> dataSource) {
        Path root = p.getRoot().resolve("registry");
        ModelRegistry.Builder b = ModelRegistry.builder()
                .store(p.getStore() == MlopsProperties.Store.JDBC ? ModelStore.jdbc(dataSource(dataSource))
                        : ModelStore.fileSystem(root.resolve("metadata")))
                .blobStore(blobs(p, root.resolve("blobs")));
        if (p.getActor() != null) {
            b.actor(p.getActor());
        }
        p.getTrust().forEach((alias, files) -> b.trustPolicy(alias, trustPolicy(alias, files)));
        ModelRegistry registry = b.build();
        p.getWebhooks().forEach((name, hook) -> subscribe(registry, name, hook));
        return registry;
    }

    /** Subscribes a configured webhook; a bad setting fails the start naming the property (never the secret). */
    private static void subscribe(ModelRegistry registry, String name, MlopsProperties.Webhook hook) {
        String where = "mlops.webhooks." + name;
        if (hook.getTarget() == null || hook.getSecret() == null || hook.getTypes().isEmpty()) {
            throw new IllegalStateException(where + " needs a target, a secret and types");
        }
        java.util.List<io.mlops.registry.RegistryEvent.Type> types = new java.util.ArrayList<>();
        for (String t : hook.getTypes()) {
            try {
                types.add(io.mlops.registry.RegistryEvent.Type.valueOf(t.strip().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalStateException(where + ".types: no registry event type '" + t + "' (one of "
                        + java.util.Arrays.toString(io.mlops.registry.RegistryEvent.Type.values()) + ")");
            }
        }
        try {
            registry.webhooks().subscribe(name, hook.getTarget(), hook.getSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    types.toArray(new io.mlops.registry.RegistryEvent.Type[0]));
        } catch (IllegalArgumentException bad) {
            throw new IllegalStateException(where + ": " + bad.getMessage());
        }
    }

    /** An alias's trust policy from its public key files; a file that is not a key fails the start naming it. */
    private static io.mlops.registry.TrustPolicy trustPolicy(String alias, java.util.List<Path> files) {
        java.util.List<java.security.PublicKey> keys = new java.util.ArrayList<>();
        for (Path f : files) {
            try {
                if (java.nio.file.Files.size(f) > 8_192) {
                    throw new IllegalArgumentException("over 8 KiB: not a key");
                }
                keys.add(io.mlops.registry.TrustPolicy.readPublicKey(java.nio.file.Files.readString(f)));
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new IllegalStateException("mlops.trust." + alias + ": " + f + " is not a readable Ed25519 public key ("
                        + e.getMessage() + ")", e);
            }
        }
        return io.mlops.registry.TrustPolicy.signedBy(keys.toArray(new java.security.PublicKey[0]));
    }

    /**
     * The data versioning.
     *
     * @param p the properties
     * @param dataSource the application's DataSource, needed with {@code mlops.store=jdbc}
     * @return the data versioning
     */
    @Bean
    @ConditionalOnMissingBean
    public DataVersioning mlopsDataVersioning(MlopsProperties p, ObjectProvider<DataSource> dataSource) {
        Path root = p.getRoot().resolve("data");
        return DataVersioning.builder()
                .store(p.getStore() == MlopsProperties.Store.JDBC ? DatasetStore.jdbc(dataSource(dataSource))
                        : DatasetStore.fileSystem(root.resolve("metadata")))
                .blobStore(blobs(p, root.resolve("blobs"))).build();
    }

    /**
     * The prediction monitor, unless {@code mlops.monitor.enabled=false}.
     *
     * @param p the properties
     * @param dataSource the application's DataSource, needed with {@code mlops.store=jdbc}
     * @return the monitor
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "mlops.monitor.enabled", matchIfMissing = true)
    public ModelMonitor mlopsModelMonitor(MlopsProperties p, ObjectProvider<DataSource> dataSource) {
        MonitorStore store = p.getStore() == MlopsProperties.Store.JDBC ? MonitorStore.jdbc(dataSource(dataSource))
                : MonitorStore.sqlite(p.getRoot().resolve("monitor.db"));
        ModelMonitor.Builder b = ModelMonitor.builder().store(store).queueCapacity(p.getMonitor().getQueueCapacity());
        if (p.getMonitor().getInstance() != null) {
            b.instance(p.getMonitor().getInstance());
        }
        return b.build();
    }

    private static DataSource dataSource(ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfUnique();
        if (ds == null) {
            throw new IllegalStateException("mlops.store=jdbc needs the application's DataSource (one DataSource bean);"
                    + " configure spring.datasource.* or define one");
        }
        return ds;
    }

    private static BlobStore blobs(MlopsProperties p, Path folder) {
        MlopsProperties.S3 s3 = p.getS3();
        if (s3.getBucket() == null || s3.getBucket().isBlank()) {
            return BlobStore.fileSystem(folder);
        }
        try {
            Class.forName("io.mlops.s3.S3BlobStore", false, MlopsAutoConfiguration.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("mlops.s3.bucket is set but io.mlops:mlops-s3 is not on the class path: add it");
        }
        return S3Blobs.store(s3); // a class of its own: linked only here, with mlops-s3 present
    }
}
