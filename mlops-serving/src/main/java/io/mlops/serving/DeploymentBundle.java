package io.mlops.serving;

import io.mlops.core.Names;
import io.mlops.core.StorageException;
import io.mlops.core.internal.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Deployment files for a service that runs a {@link ModelServer}: a Dockerfile (Temurin 17 JRE,
 * non-root user, a HEALTHCHECK that calls {@code /health} with {@link HealthCheck}, so it needs no
 * tool beyond the JRE), a docker-compose.yml (resource limits, restart policy, nginx in front once
 * the service is healthy), an nginx.conf (upstream with keep-alive, {@code /health}, body limit) and
 * a run script. All four come from one template set filled with the same values.
 *
 * <pre>{@code
 * DeploymentBundle.forServer("churn-api").jar("churn-api.jar").mainClass("com.example.ChurnApi")
 *         .port(8080).memory("1g").cpus(1.0).writeTo(Path.of("deploy"));
 * }</pre>
 *
 * The jar must be a runnable fat jar that contains mlops-serving. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class DeploymentBundle {

    private final String service;
    private String jar;
    private String mainClass;
    private int port = 8080;
    private String memory = "1g";
    private double cpus = 1.0;
    private String javaOptions = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";
    private String maxBody = "1m";

    private DeploymentBundle(String service) {
        this.service = Names.validate("service name", service).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @param service the service's name (a valid name; used for the image, the compose service and the upstream)
     * @return a bundle to configure
     */
    public static DeploymentBundle forServer(String service) {
        return new DeploymentBundle(service);
    }

    /**
     * Sets the fat jar's file name, next to the Dockerfile.
     *
     * @param jarFileName the fat jar's file name, next to the Dockerfile
     * @return this
     */
    public DeploymentBundle jar(String jarFileName) {
        this.jar = Names.validate("jar file name", jarFileName);
        return this;
    }

    /**
     * Sets the class whose main starts the server (binding 0.0.0.0).
     *
     * @param mainClass the class whose main starts the server (binding 0.0.0.0)
     * @return this
     */
    public DeploymentBundle mainClass(String mainClass) {
        if (!mainClass.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*")) {
            throw new IllegalArgumentException("mainClass must be a Java class name but was '" + mainClass + "'");
        }
        this.mainClass = mainClass;
        return this;
    }

    /**
     * Sets the server's port in the container.
     *
     * @param port the server's port in the container
     * @return this
     */
    public DeploymentBundle port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in [1, 65535] but was " + port);
        }
        this.port = port;
        return this;
    }

    /**
     * Sets the container's memory limit, such as {@code 512m} or {@code 2g}.
     *
     * @param memory the container's memory limit, such as {@code 512m} or {@code 2g}
     * @return this
     */
    public DeploymentBundle memory(String memory) {
        if (!memory.matches("[1-9][0-9]*[kmg]")) {
            throw new IllegalArgumentException("memory must look like 512m or 2g but was '" + memory + "'");
        }
        this.memory = memory;
        return this;
    }

    /**
     * Sets the container's CPU limit, {@code > 0}.
     *
     * @param cpus the container's CPU limit, {@code > 0}
     * @return this
     */
    public DeploymentBundle cpus(double cpus) {
        if (!(cpus > 0 && cpus <= 256)) {
            throw new IllegalArgumentException("cpus must be in (0, 256] but was " + cpus);
        }
        this.cpus = cpus;
        return this;
    }

    /**
     * Sets JVM options (default {@code -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError}).
     *
     * @param options JVM options (default {@code -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError})
     * @return this
     */
    public DeploymentBundle javaOptions(String options) {
        if (options.contains("\"") || options.contains("\n")) {
            throw new IllegalArgumentException("javaOptions must not contain quotes or line breaks");
        }
        this.javaOptions = options;
        return this;
    }

    /**
     * @return the files' contents by file name, without writing them
     */
    public Map<String, String> render() {
        Objects.requireNonNull(jar, "jar(...) is required");
        Objects.requireNonNull(mainClass, "mainClass(...) is required");
        Map<String, String> values = Map.of("service", service, "jar", jar, "mainClass", mainClass,
                "port", Integer.toString(port), "memory", memory, "cpus", Double.toString(cpus), "javaOptions", javaOptions,
                "maxBody", maxBody);
        Map<String, String> quoted = io.mlops.serving.internal.DeploymentTemplates.quoted(values);
        Map<String, String> files = new LinkedHashMap<>();
        io.mlops.serving.internal.DeploymentTemplates.ALL.forEach((name, template) -> files.put(name, fill(template, quoted)));
        return files;
    }

    /** One pass over the template, so that a value is never searched for placeholders itself. */
    private static String fill(String template, Map<String, String> values) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{(\\w+)}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("unfilled placeholder ${" + m.group(1) + "} in a deployment template");
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Writes the files (atomically each) into a folder.
     *
     * @param dir the folder, created when missing
     * @return the files written
     * @throws StorageException when a file cannot be written
     */
    public List<Path> writeTo(Path dir) {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> e : render().entrySet()) {
            Path file = dir.resolve(e.getKey());
            try {
                AtomicFiles.write(file, e.getValue().getBytes(StandardCharsets.UTF_8));
                if (e.getKey().endsWith(".sh")) {
                    try {
                        java.nio.file.Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } catch (UnsupportedOperationException ignored) {
                        // not a POSIX file system: run it with sh
                    }
                }
            } catch (IOException ex) {
                throw new StorageException("Cannot write " + file + ": " + ex.getMessage(), ex);
            }
            written.add(file);
        }
        return written;
    }
}
