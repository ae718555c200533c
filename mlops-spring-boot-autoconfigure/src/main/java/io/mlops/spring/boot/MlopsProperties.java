package io.mlops.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The library's settings under {@code mlops.*}, laid out as the command line lays its stores out, so
 * that an application and {@code mlops --root DIR} share one store.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = "mlops")
public class MlopsProperties {

    /** Where the stores live. */
    public enum Store {
        /** Under {@link #getRoot() root}: {@code registry/}, {@code data/}, {@code monitor.db} (SQLite). */
        FILE,
        /** In the application's {@code DataSource} (PostgreSQL for a fleet; SQLite works for one process). */
        JDBC
    }

    /** The stores' folder on the file system (store FILE), as the command line's --root. */
    private Path root = Path.of("mlops");

    /** Where the registry, data and monitor metadata live: FILE under the root, or JDBC in the application's DataSource. */
    private Store store = Store.FILE;

    /** Recorded with every registry change as who made it (the audit log's actor). */
    private String actor;

    /**
     * Trust policies by alias: the Ed25519 public keys (PEM files) whose signature a version needs
     * before the alias may point at it or the server load it, e.g. {@code mlops.trust.production=/etc/mlops/release.pub}.
     */
    private java.util.Map<String, java.util.List<Path>> trust = new java.util.LinkedHashMap<>();

    /**
     * Webhook subscriptions by name: {@code mlops.webhooks.ci.target=https://...},
     * {@code mlops.webhooks.ci.secret=${CI_HOOK_SECRET}}, {@code mlops.webhooks.ci.types=REGISTERED,ALIAS_MOVED}.
     */
    private java.util.Map<String, Webhook> webhooks = new java.util.LinkedHashMap<>();

    /** A webhook subscription. */
    public static class Webhook {
        /** Where events are POSTed (http or https). */
        private java.net.URI target;
        /** The HMAC key (at least 32 bytes); give it from the environment, not the file. */
        private String secret;
        /** The registry event types to deliver. */
        private java.util.List<String> types = new java.util.ArrayList<>();

        /** @return the target */
        public java.net.URI getTarget() {
            return target;
        }

        /** @param target the target */
        public void setTarget(java.net.URI target) {
            this.target = target;
        }

        /** @return the secret */
        public String getSecret() {
            return secret;
        }

        /** @param secret the secret */
        public void setSecret(String secret) {
            this.secret = secret;
        }

        /** @return the event types */
        public java.util.List<String> getTypes() {
            return types;
        }

        /** @param types the event types */
        public void setTypes(java.util.List<String> types) {
            this.types = types;
        }

        @Override
        public String toString() {
            return "Webhook[" + target + ", " + types + "]"; // never the secret
        }
    }

    /** @return the webhook subscriptions by name */
    public java.util.Map<String, Webhook> getWebhooks() {
        return webhooks;
    }

    /** @param webhooks the webhook subscriptions by name */
    public void setWebhooks(java.util.Map<String, Webhook> webhooks) {
        this.webhooks = webhooks;
    }

    private final S3 s3 = new S3();
    private final Monitor monitor = new Monitor();
    private final Metrics metrics = new Metrics();
    private final Serving serving = new Serving();

    /** @return the stores' folder */
    public Path getRoot() {
        return root;
    }

    /** @param root the stores' folder */
    public void setRoot(Path root) {
        this.root = root;
    }

    /** @return where the metadata lives */
    public Store getStore() {
        return store;
    }

    /** @param store where the metadata lives */
    public void setStore(Store store) {
        this.store = store;
    }

    /** @return the public key files of each alias's trust policy */
    public java.util.Map<String, java.util.List<Path>> getTrust() {
        return trust;
    }

    /** @param trust the public key files of each alias's trust policy */
    public void setTrust(java.util.Map<String, java.util.List<Path>> trust) {
        this.trust = trust;
    }

    /** @return the registry's actor, or null */
    public String getActor() {
        return actor;
    }

    /** @param actor the registry's actor */
    public void setActor(String actor) {
        this.actor = actor;
    }

    /** @return the artifact bucket's settings */
    public S3 getS3() {
        return s3;
    }

    /** @return the monitor's settings */
    public Monitor getMonitor() {
        return monitor;
    }

    /** @return the meters' settings */
    public Metrics getMetrics() {
        return metrics;
    }

    /** @return the prediction server's settings */
    public Serving getServing() {
        return serving;
    }

    /**
     * The prediction server (io.mlops:mlops-serving), started with the application on a port of its
     * own and following a registry alias; made when {@code mlops.serving.model} is set.
     */
    public static class Serving {
        /** The registered model to serve; when set, a ModelServer bean serves it. */
        private String model;
        /** The alias followed (the server swaps versions when it moves). */
        private String alias = "production";
        /**
         * Where the prediction endpoints are served: "application" - inside the application's own
         * web server (Spring MVC) under mlops.serving.path; "standalone" - on a Jetty server of
         * their own at mlops.serving.host and .port; "auto" - the application's web server when it
         * is a servlet web application, else standalone.
         */
        private WebServer webServer = WebServer.AUTO;
        /**
         * The base path of the endpoints inside the application's web server (such as /mlops, for
         * /mlops/predict and /mlops/v2/models/{name}/infer); "/" for the root, where the
         * application's own controllers and Actuator still take precedence.
         */
        private String path = "/mlops";
        /** The bind address of the standalone server. */
        private String host = "127.0.0.1";
        /** The port of the standalone server; 0 for any free port. */
        private int port = 8081;
        /** A bearer token the prediction endpoints require; none when empty. */
        private String bearerToken;
        /** How often the alias is checked for moves. */
        private Duration pollInterval = Duration.ofSeconds(5);
        /** The largest request body; a larger one is refused with 413 without being held in memory. */
        private org.springframework.util.unit.DataSize maxRequestSize = org.springframework.util.unit.DataSize.ofBytes(1_048_576);
        /**
         * How long a client may take to send a whole request body (408 after it). Inside the
         * application's web server it is checked between the blocks read; a client that stalls
         * altogether is ended by the web server's own read timeout (such as
         * server.tomcat.connection-timeout).
         */
        private Duration requestTimeout = Duration.ofSeconds(30);

        /** @return the model, or null */
        public String getModel() {
            return model;
        }

        /** @param model the model */
        public void setModel(String model) {
            this.model = model;
        }

        /** @return the alias */
        public String getAlias() {
            return alias;
        }

        /** @param alias the alias */
        public void setAlias(String alias) {
            this.alias = alias;
        }

        /** @return where the endpoints are served */
        public WebServer getWebServer() {
            return webServer;
        }

        /** @param webServer where the endpoints are served */
        public void setWebServer(WebServer webServer) {
            this.webServer = webServer;
        }

        /** @return the base path inside the application's web server */
        public String getPath() {
            return path;
        }

        /**
         * @param path the base path inside the application's web server: "/" or a path starting
         *     with "/", not ending with one, without "*", "?", "{", "}" or "//"
         */
        public void setPath(String path) {
            if (path == null || !path.startsWith("/") || (path.length() > 1 && path.endsWith("/"))
                    || path.contains("//") || path.matches(".*[*?{}\\s].*")) {
                throw new IllegalArgumentException("mlops.serving.path must be \"/\" or a path such as \"/mlops\" (starting"
                        + " with \"/\", not ending with one, no wildcards or spaces) but was \"" + path + "\"");
            }
            this.path = path;
        }

        /** @return the bind address */
        public String getHost() {
            return host;
        }

        /** @param host the bind address */
        public void setHost(String host) {
            this.host = host;
        }

        /** @return the port */
        public int getPort() {
            return port;
        }

        /** @param port the port */
        public void setPort(int port) {
            this.port = port;
        }

        /** @return the token, or null */
        public String getBearerToken() {
            return bearerToken;
        }

        /** @param bearerToken the token */
        public void setBearerToken(String bearerToken) {
            this.bearerToken = bearerToken;
        }

        /** @return the largest request body */
        public org.springframework.util.unit.DataSize getMaxRequestSize() {
            return maxRequestSize;
        }

        /** @param maxRequestSize the largest request body */
        public void setMaxRequestSize(org.springframework.util.unit.DataSize maxRequestSize) {
            this.maxRequestSize = maxRequestSize;
        }

        /** @return how long a request body may take to arrive */
        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        /** @param requestTimeout how long a request body may take to arrive */
        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        /** @return the poll interval */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /** @param pollInterval the poll interval */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }
    }

    /** Where the prediction endpoints are served. */
    public enum WebServer {
        /** The application's web server when it is a servlet web application, else standalone. */
        AUTO,
        /** Inside the application's own web server (Spring MVC), under {@code mlops.serving.path}. */
        APPLICATION,
        /** On a Jetty server of their own, at {@code mlops.serving.host} and {@code .port}. */
        STANDALONE
    }

    /** Artifacts and dataset bytes in an S3-compatible bucket (needs io.mlops:mlops-s3). */
    public static class S3 {
        /** The bucket; when set, model artifacts and dataset bytes are stored there instead of on the file system. */
        private String bucket;
        /** A key prefix inside the bucket. */
        private String prefix = "";
        /** The endpoint of an S3-compatible service (MinIO, Ceph); empty for AWS. */
        private String endpoint;
        /** The region. */
        private String region = "us-east-1";
        /** Path-style addressing (bucket in the path, as MinIO and s3proxy want). */
        private boolean pathStyle;

        /** @return the bucket, or null */
        public String getBucket() {
            return bucket;
        }

        /** @param bucket the bucket */
        public void setBucket(String bucket) {
            this.bucket = bucket;
        }

        /** @return the key prefix */
        public String getPrefix() {
            return prefix;
        }

        /** @param prefix the key prefix */
        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        /** @return the endpoint, or null */
        public String getEndpoint() {
            return endpoint;
        }

        /** @param endpoint the endpoint */
        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint;
        }

        /** @return the region */
        public String getRegion() {
            return region;
        }

        /** @param region the region */
        public void setRegion(String region) {
            this.region = region;
        }

        /** @return whether path-style addressing is used */
        public boolean isPathStyle() {
            return pathStyle;
        }

        /** @param pathStyle whether path-style addressing is used */
        public void setPathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
        }
    }

    /** The prediction monitor. */
    public static class Monitor {
        /** Whether a ModelMonitor bean is made. */
        private boolean enabled = true;
        /** This process's name in a fleet sharing one JDBC store (metrics and alerts then describe the fleet). */
        private String instance;
        /** How many records may wait for the writer before the queue policy applies. */
        private int queueCapacity = 10_000;

        /** @return whether a monitor is made */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether a monitor is made */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the fleet instance name, or null */
        public String getInstance() {
            return instance;
        }

        /** @param instance the fleet instance name */
        public void setInstance(String instance) {
            this.instance = instance;
        }

        /** @return the queue's capacity */
        public int getQueueCapacity() {
            return queueCapacity;
        }

        /** @param queueCapacity the queue's capacity */
        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }
    }

    /** The Micrometer meters (with io.mlops:mlops-micrometer and a MeterRegistry). */
    public static class Metrics {
        /** The window of the monitor's per-version gauges. */
        private Duration window = Duration.ofHours(1);
        /** How often the monitor's gauges are refreshed. */
        private Duration refresh = Duration.ofSeconds(30);

        /** @return the gauges' window */
        public Duration getWindow() {
            return window;
        }

        /** @param window the gauges' window */
        public void setWindow(Duration window) {
            this.window = window;
        }

        /** @return the refresh interval */
        public Duration getRefresh() {
            return refresh;
        }

        /** @param refresh the refresh interval */
        public void setRefresh(Duration refresh) {
            this.refresh = refresh;
        }
    }
}
