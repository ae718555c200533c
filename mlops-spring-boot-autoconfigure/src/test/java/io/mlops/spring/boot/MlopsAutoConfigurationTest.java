package io.mlops.spring.boot;

import io.mlops.data.DataVersioning;
import io.mlops.micrometer.MonitorMeters;
import io.mlops.micrometer.RegistryMeters;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration on its own: file stores under mlops.root by default (laid out as the command
 * line lays them out), the monitor switched off by a property, beans the application defines win,
 * and clear failures for settings that cannot work.
 */
class MlopsAutoConfigurationTest {

    @TempDir
    Path dir;

    final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            MlopsAutoConfiguration.class, MlopsMetersAutoConfiguration.class, MlopsActuatorAutoConfiguration.class));

    @Test
    void fileStoresUnderTheRootByDefault() {
        runner.withPropertyValues("mlops.root=" + dir).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(ModelRegistry.class).hasSingleBean(DataVersioning.class)
                    .hasSingleBean(ModelMonitor.class).hasSingleBean(MlopsHealthIndicator.class).hasSingleBean(MlopsEndpoint.class);
            ctx.getBean(ModelRegistry.class).register("churn").version("1.0.0").artifact(new byte[] {1}).save();
            // the command line's layout: --root DIR finds the same registry
            assertThat(ModelRegistry.fileSystem(dir.resolve("registry")).models()).containsExactly("churn");
            assertThat(Files.exists(dir.resolve("monitor.db"))).isTrue();
            assertThat(ctx.getBean(MlopsHealthIndicator.class).health(true).getDetails()).containsEntry("models",
                    java.util.List.of("churn"));
        });
    }

    @Test
    void theApplicationsOwnBeansWinAndTheMonitorCanBeSwitchedOff() {
        runner.withPropertyValues("mlops.root=" + dir, "mlops.monitor.enabled=false").withUserConfiguration(OwnRegistry.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(ModelRegistry.class).doesNotHaveBean(ModelMonitor.class)
                            .doesNotHaveBean(MonitorMeters.class).hasSingleBean(RegistryMeters.class);
                    assertThat(ctx.getBean(ModelRegistry.class)).isSameAs(OwnRegistry.REGISTRY);
                    assertThat(Files.exists(dir.resolve("registry"))).as("no registry made under the root").isFalse();
                });
    }

    @Test
    void trustPoliciesComeFromPublicKeyFilesAndABadFileFailsTheStartNamingIt() throws Exception {
        java.security.KeyPair k = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path pub = Files.writeString(dir.resolve("release.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(k.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        runner.withPropertyValues("mlops.root=" + dir, "mlops.monitor.enabled=false", "mlops.trust.production=" + pub).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            ModelRegistry r = ctx.getBean(ModelRegistry.class);
            assertThat(r.trustPolicy("production").orElseThrow().keys()).extracting(java.security.Key::getEncoded)
                    .containsExactly(k.getPublic().getEncoded());
            r.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.setAlias("churn", "production", "1.0.0"))
                    .isInstanceOf(io.mlops.registry.UntrustedModelException.class);
            r.sign("churn", "1.0.0", io.mlops.registry.ModelSigner.ed25519(k.getPrivate(), "release"));
            r.setAlias("churn", "production", "1.0.0");
        });
        Path bad = Files.writeString(dir.resolve("bad.pub"), "not a key");
        runner.withPropertyValues("mlops.root=" + dir, "mlops.monitor.enabled=false", "mlops.trust.production=" + bad)
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("mlops.trust.production: ")
                        .hasStackTraceContaining("bad.pub is not a readable Ed25519 public key"));
    }

    @Test
    void webhooksComeFromPropertiesAndABadOneFailsTheStartWithoutTheSecret() {
        String secret = "a-webhook-secret-of-32-bytes-min!";
        runner.withPropertyValues("mlops.root=" + dir, "mlops.monitor.enabled=false", "mlops.webhooks.ci.target=http://127.0.0.1:9/hook",
                "mlops.webhooks.ci.secret=" + secret, "mlops.webhooks.ci.types=registered,ALIAS_MOVED").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    io.mlops.registry.Webhooks hooks = ctx.getBean(ModelRegistry.class).webhooks();
                    assertThat(hooks.subscriptions()).singleElement().satisfies(s -> {
                        assertThat(s.name()).isEqualTo("ci");
                        assertThat(s.types()).containsExactlyInAnyOrder(io.mlops.registry.RegistryEvent.Type.REGISTERED,
                                io.mlops.registry.RegistryEvent.Type.ALIAS_MOVED);
                    });
                    hooks.close();
                });
        runner.withPropertyValues("mlops.root=" + dir, "mlops.monitor.enabled=false", "mlops.webhooks.ci.target=http://127.0.0.1:9/hook",
                "mlops.webhooks.ci.secret=" + secret, "mlops.webhooks.ci.types=DRIFT_ALERT")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("mlops.webhooks.ci.types")
                        .hasStackTraceContaining("DRIFT_ALERT"));
        runner.withPropertyValues("mlops.root=" + dir, "mlops.monitor.enabled=false", "mlops.webhooks.ci.target=ftp://x/hook",
                "mlops.webhooks.ci.secret=short-secret-value", "mlops.webhooks.ci.types=REGISTERED")
                .run(ctx -> {
                    assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("mlops.webhooks.ci");
                    assertThat(ctx.getStartupFailure()).satisfies(f -> {
                        java.io.StringWriter w = new java.io.StringWriter();
                        f.printStackTrace(new java.io.PrintWriter(w));
                        assertThat(w.toString()).doesNotContain("short-secret-value");
                    });
                });
    }

    @Test
    void jdbcWithoutADataSourceFailsSayingWhatIsMissing() {
        runner.withPropertyValues("mlops.root=" + dir, "mlops.store=jdbc").run(ctx -> assertThat(ctx).hasFailed()
                .getFailure().rootCause().hasMessageContaining("mlops.store=jdbc needs the application's DataSource"));
    }

    @Test
    void anUnknownStoreIsRefusedByBinding() {
        runner.withPropertyValues("mlops.store=cassandra").run(ctx -> assertThat(ctx).hasFailed()
                .getFailure().rootCause().hasMessageContaining("cassandra"));
    }

    void registerIris() throws java.io.IOException {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        registry.register("iris").version("1.0.0")
                .artifact(Files.readAllBytes(Path.of("../mlops-onnx/src/test/resources/models/iris_logreg.onnx"))).save();
        registry.setAlias("iris", "production", "1.0.0");
    }

    @Test
    void withoutAWebApplicationTheEndpointsGetAServerOfTheirOwn() throws Exception {
        registerIris();
        runner.withConfiguration(AutoConfigurations.of(MlopsServingAutoConfiguration.class))
                .withPropertyValues("mlops.root=" + dir, "mlops.serving.model=iris", "mlops.serving.port=0").run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean("mlopsServingHandlerMapping");
                    io.mlops.serving.ModelServer server = ctx.getBean(io.mlops.serving.ModelServer.class);
                    assertThat(server.port()).isPositive();
                    assertThat(server.modelVersion()).isEqualTo("1.0.0");
                });
        runner.withConfiguration(AutoConfigurations.of(MlopsServingAutoConfiguration.class))
                .withPropertyValues("mlops.root=" + dir, "mlops.serving.model=iris", "mlops.serving.web-server=application")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining(
                        "mlops.serving.web-server=application needs a servlet web application"));
    }

    @Test
    void anAliasThatPointsAtNothingFailsTheStartSayingWhich() {
        runner.withConfiguration(AutoConfigurations.of(MlopsServingAutoConfiguration.class))
                .withPropertyValues("mlops.root=" + dir, "mlops.serving.model=ghost", "mlops.serving.port=0")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("ghost"));
    }

    @Test
    void aWebApplicationCanStillAskForAStandaloneServer() throws Exception {
        registerIris();
        new org.springframework.boot.test.context.runner.WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MlopsAutoConfiguration.class, MlopsServingAutoConfiguration.class))
                .withPropertyValues("mlops.root=" + dir, "mlops.serving.model=iris", "mlops.serving.port=0",
                        "mlops.serving.web-server=standalone").run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean("mlopsServingHandlerMapping");
                    assertThat(ctx.getBean(io.mlops.serving.ModelServer.class).port()).isPositive();
                });
        new org.springframework.boot.test.context.runner.WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MlopsAutoConfiguration.class, MlopsServingAutoConfiguration.class))
                .withPropertyValues("mlops.root=" + dir, "mlops.serving.model=iris", "mlops.serving.path=/models/").run(ctx ->
                        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("mlops.serving.path must be"));
        new org.springframework.boot.test.context.runner.WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MlopsAutoConfiguration.class, MlopsServingAutoConfiguration.class))
                .withPropertyValues("mlops.root=" + dir, "mlops.serving.model=iris", "mlops.serving.path=/models").run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasBean("mlopsServingHandlerMapping");
                    assertThat(ctx.getBean("mlopsServingHandlerMapping",
                            org.springframework.web.servlet.handler.SimpleUrlHandlerMapping.class).getUrlMap())
                            .containsOnlyKeys("/models/**");
                    org.assertj.core.api.Assertions.assertThatThrownBy(ctx.getBean(io.mlops.serving.ModelServer.class)::port)
                            .isInstanceOf(IllegalStateException.class);
                });
    }

    @Test
    void artifactsAndDatasetBytesGoToTheS3BucketOfTheProperties() throws Exception {
        try (io.mlops.s3.S3Server s3 = new io.mlops.s3.S3Server(dir.resolve("s3"), "models")) {
            System.setProperty("aws.accessKeyId", io.mlops.s3.S3Server.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", io.mlops.s3.S3Server.SECRET_KEY);
            try {
                runner.withPropertyValues("mlops.root=" + dir.resolve("root"), "mlops.s3.bucket=models",
                        "mlops.s3.prefix=team-a", "mlops.s3.endpoint=" + s3.endpoint(), "mlops.s3.region=us-east-1",
                        "mlops.s3.path-style=true").run(ctx -> {
                            assertThat(ctx).hasNotFailed();
                            byte[] artifact = "an artifact in the bucket".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                            ModelRegistry registry = ctx.getBean(ModelRegistry.class);
                            registry.register("churn").version("1.0.0").artifact(artifact).save();
                            try (java.io.InputStream in = registry.openArtifact(registry.get("churn", "1.0.0"))) {
                                assertThat(in.readAllBytes()).isEqualTo(artifact);
                            }
                            // the bytes are objects under the prefix, not files under the root
                            try (var objects = Files.walk(dir.resolve("s3"))) {
                                assertThat(objects.filter(Files::isRegularFile).map(Path::toString))
                                        .anySatisfy(f -> assertThat(f).contains("team-a"));
                            }
                            try (var local = Files.walk(dir.resolve("root"))) {
                                assertThat(local.filter(Files::isRegularFile).map(Path::toString))
                                        .noneSatisfy(f -> assertThat(f).contains("blobs"));
                            }
                        });
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        }
        runner.withPropertyValues("mlops.root=" + dir, "mlops.s3.bucket=models", "mlops.s3.endpoint=not a uri")
                .run(ctx -> assertThat(ctx).hasFailed());
    }

    /** The application's own registry. */
    @Configuration(proxyBeanMethods = false)
    static class OwnRegistry {
        static final ModelRegistry REGISTRY = ModelRegistry.builder().store(io.mlops.registry.spi.ModelStore.inMemory())
                .blobStore(io.mlops.core.spi.BlobStore.inMemory()).build();

        @Bean
        ModelRegistry myRegistry() {
            return REGISTRY;
        }
    }
}
