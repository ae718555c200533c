package io.mlops.registry;

import io.mlops.core.Names;
import io.mlops.core.SemanticVersion;
import io.mlops.core.internal.io.Sha256;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One registered version of a model: its identity, its artifact's digest and size, and the
 * metadata and tags given at registration.
 *
 * @param name the model's name
 * @param version the SemVer 2.0.0 version string
 * @param sha256 the SHA-256 of the artifact (64 lower-case hex digits)
 * @param sizeBytes the artifact's size
 * @param registeredAt when the version was registered
 * @param metadata JSON values (strings, numbers, booleans, null, lists, maps); unmodifiable
 * @param tags string tags; unmodifiable
 * @since 0.1.0
 */
public record ModelVersion(String name, String version, String sha256, long sizeBytes, Instant registeredAt,
                           Map<String, Object> metadata, Map<String, String> tags) {

    /**
     * Validates and copies the components.
     *
     * @param name the model's name
     * @param version the SemVer 2.0.0 version string
     * @param sha256 the artifact's SHA-256
     * @param sizeBytes the artifact's size, {@code >= 0}
     * @param registeredAt when the version was registered
     * @param metadata JSON values
     * @param tags string tags
     * @throws io.mlops.core.ValidationException when the name, version or digest is malformed
     */
    public ModelVersion {
        Names.validate("model name", name);
        SemanticVersion.parse(version);
        Sha256.requireValid(sha256);
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0 but was " + sizeBytes);
        }
        Objects.requireNonNull(registeredAt, "registeredAt");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tags, "tags")));
    }

    /**
     * @return the version, parsed
     */
    public SemanticVersion semanticVersion() {
        return SemanticVersion.parse(version);
    }

    /**
     * @return {@code name:version}, for messages
     */
    public String coordinates() {
        return name + ":" + version;
    }
}
