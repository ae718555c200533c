package io.mlops.data;

import io.mlops.core.internal.io.Sha256;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One committed version of a dataset or a file.
 *
 * @param id {@code name + "_" +} the first 16 hex digits of {@code sha256}; the same content under
 *     the same name always has the same id
 * @param name the dataset's name
 * @param sha256 for a dataset, its canonical content hash ({@link io.mlops.core.Dataset#contentHash()});
 *     for a file, the SHA-256 of its bytes
 * @param createdAt when it was first committed
 * @param description what changed, free text (empty when none was given)
 * @param parents the ids of the versions it was derived from (lineage is a DAG); unmodifiable
 * @param sizeBytes the size of the stored bytes (the CSV rendering for a dataset)
 * @param rowCount the number of rows for a dataset; empty for a file
 * @param tags string tags; unmodifiable
 * @since 0.1.0
 */
public record DatasetVersion(String id, String name, String sha256, Instant createdAt, String description,
                             List<String> parents, long sizeBytes, OptionalLong rowCount, Map<String, String> tags) {

    /**
     * Validates and copies the components.
     *
     * @param id the version id
     * @param name the dataset's name
     * @param sha256 the content hash
     * @param createdAt when it was committed
     * @param description the description
     * @param parents the parent ids
     * @param sizeBytes the stored size
     * @param rowCount the row count, empty for a file
     * @param tags the tags
     * @throws io.mlops.core.ValidationException when the id does not match the name and hash
     */
    public DatasetVersion {
        DatasetIds.requireValidName(name);
        Sha256.requireValid(sha256);
        Objects.requireNonNull(id, "id");
        if (!id.equals(DatasetIds.id(name, sha256))) {
            throw new IllegalArgumentException("id must be " + DatasetIds.id(name, sha256) + " but was " + id);
        }
        Objects.requireNonNull(createdAt, "createdAt");
        description = Objects.requireNonNullElse(description, "");
        parents = List.copyOf(parents);
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0 but was " + sizeBytes);
        }
        Objects.requireNonNull(rowCount, "rowCount");
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tags, "tags")));
    }

    /**
     * The version without tags, as DESIGN.md states it.
     *
     * @param id the version id
     * @param name the dataset's name
     * @param sha256 the content hash
     * @param createdAt when it was committed
     * @param description the description
     * @param parents the parent ids
     * @param sizeBytes the stored size
     * @param rowCount the row count, empty for a file
     */
    public DatasetVersion(String id, String name, String sha256, Instant createdAt, String description,
                          List<String> parents, long sizeBytes, OptionalLong rowCount) {
        this(id, name, sha256, createdAt, description, parents, sizeBytes, rowCount, Map.of());
    }

    /**
     * Tells whether the version was committed from a {@link io.mlops.core.Dataset} (else from a file).
     *
     * @return {@code true} for a version committed from a {@link io.mlops.core.Dataset}, {@code false} for a file
     */
    public boolean isDataset() {
        return rowCount.isPresent();
    }
}
