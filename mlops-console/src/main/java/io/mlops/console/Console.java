package io.mlops.console;

import io.mlops.console.internal.ConsoleSettings;
import io.mlops.console.internal.JettyConsole;
import io.mlops.data.DataVersioning;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;

import java.net.URI;
import java.util.Objects;

/**
 * The web console: models and their versions, metadata and tags; each alias's history as a
 * timeline, with rollback; dataset versions with their lineage drawn and the diff of two versions;
 * the monitor's dashboard with charts per model version (requests, error rate, latency p50/p95/p99,
 * accuracy) and its alerts; drift of the logged inputs against a training profile.
 *
 * <pre>{@code
 * try (Console console = Console.builder().registry(registry).data(data).monitor(monitor).port(8081).build().start()) {
 *     ... console.uri() ...
 * }
 * }</pre>
 *
 * <p>Server-rendered HTML with inline SVG and inline style: no script, no request to any other
 * host (a Content-Security-Policy header says so to the browser). Every string that comes from
 * the data — model names, tags, metadata, alias reasons — is HTML-escaped. The console is
 * read-only unless built with a {@link Builder#token token}: then an alias page offers rollback
 * and moving the alias, each asking for the token and the person's name, which goes into the
 * alias change's reason ({@code console, by NAME: ...}). Errors are pages without stack traces.
 * Each part is optional: without a monitor the monitor pages say so. Thread-safe.
 *
 * @since 0.1.0
 */
public interface Console extends AutoCloseable {

    /**
     * @return a builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this console
     * @throws io.mlops.core.MlopsException when the port cannot be bound
     */
    Console start();

    /**
     * @return the bound port
     */
    int port();

    /**
     * Returns the base URI, such as {@code http://127.0.0.1:8081/}.
     *
     * @return the base URI
     */
    URI uri();

    /** Stops the console. */
    @Override
    void close();

    /** Builds a {@link Console}. Not thread-safe. */
    final class Builder {
        private ModelRegistry registry;
        private DataVersioning data;
        private ModelMonitor monitor;
        private ReferenceProfile driftReference;
        private String host = "127.0.0.1";
        private int port = 8081;
        private io.mlops.core.AccessTokens tokens = io.mlops.core.AccessTokens.builder().build();

        private Builder() {
        }

        /**
         * Shows this registry's models.
         *
         * @param registry a model registry
         * @return this
         */
        public Builder registry(ModelRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Shows these dataset versions.
         *
         * @param data dataset versioning
         * @return this
         */
        public Builder data(DataVersioning data) {
            this.data = Objects.requireNonNull(data, "data");
            return this;
        }

        /**
         * Shows this monitor's dashboard and alerts.
         *
         * @param monitor a monitor
         * @return this
         */
        public Builder monitor(ModelMonitor monitor) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            return this;
        }

        /**
         * Shows the drift of the monitor's logged inputs over the last 24 hours against this training profile.
         *
         * @param profile the training data's profile
         * @return this
         */
        public Builder driftReference(ReferenceProfile profile) {
            this.driftReference = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * Sets the address to bind (default 127.0.0.1: the console is for this machine unless you say otherwise).
         *
         * @param host an address
         * @return this
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port (default 8081; 0 for any free one).
         *
         * @param port 0 to 65535
         * @return this
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Allows alias moves, rollbacks and approvals to whoever gives this token (at least 16
         * characters): a deployer's token ({@link #tokens}).
         *
         * @param token a secret
         * @return this
         */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            if (token.length() < 16 || token.isBlank()) {
                throw new IllegalArgumentException("the token must have at least 16 characters");
            }
            this.tokens = io.mlops.core.AccessTokens.builder().token(io.mlops.core.AccessTokens.Role.DEPLOYER, token).build();
            return this;
        }

        /**
         * Sets who may do what: with a {@code READER} token every page needs one of the tokens (as
         * HTTP Basic authentication's password, which browsers ask for, or {@code Authorization:
         * Bearer}); a {@code DEPLOYER} or {@code ADMIN} token in a form moves and rolls back
         * aliases and approves or rejects alias move requests. Without tokens the console is
         * open to read and read-only.
         *
         * @param tokens the tokens and their roles
         * @return this
         */
        public Builder tokens(io.mlops.core.AccessTokens tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /**
         * Builds the console, not yet started.
         *
         * @return the console
         * @throws IllegalStateException when neither a registry, data nor a monitor was given
         */
        public Console build() {
            if (registry == null && data == null && monitor == null) {
                throw new IllegalStateException("give at least one of registry(...), data(...) and monitor(...)");
            }
            return new JettyConsole(new ConsoleSettings(registry, data, monitor, driftReference, host, port, tokens));
        }
    }
}
