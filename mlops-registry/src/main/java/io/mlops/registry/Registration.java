package io.mlops.registry;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Registers one model version: obtained from {@link ModelRegistry#register(String)}, configured
 * fluently, committed by {@link #save()}. Setters reject bad values at once. Not thread-safe; use
 * one registration per thread.
 *
 * @since 0.1.0
 */
public interface Registration {

    /**
     * Sets the version explicitly. When omitted, the next patch after the model's highest version is
     * allocated atomically ({@code 1.0.0} for a new model; after a pre-release such as
     * {@code 1.1.0-rc.1}, its release {@code 1.1.0}), so concurrent callers never get the same number.
     *
     * @param version a SemVer 2.0.0 version
     * @return this registration
     * @throws io.mlops.core.ValidationException when the version is malformed
     */
    Registration version(String version);

    /**
     * Uses a file as the artifact; it is streamed, never loaded whole.
     *
     * @param file the file
     * @return this registration
     */
    Registration artifact(Path file);

    /**
     * Uses bytes as the artifact. The array is not copied (a large artifact costs no extra heap):
     * it is read by {@link #save()}, so leave it unchanged until {@code save()} returns. What is
     * stored is exactly what was hashed, even if the array changes meanwhile.
     *
     * @param bytes the artifact
     * @return this registration
     */
    Registration artifact(byte[] bytes);

    /**
     * Uses a stream as the artifact; it is read to its end by {@link #save()} and not closed.
     *
     * @param stream the artifact
     * @return this registration
     */
    Registration artifact(InputStream stream);

    /**
     * Encodes a model object as the artifact.
     *
     * @param model the model
     * @param codec how to encode it
     * @param <T> the model type
     * @return this registration
     */
    <T> Registration artifact(T model, ModelCodec<T> codec);

    /**
     * Adds a metadata entry.
     *
     * @param key a non-empty key
     * @param value a JSON-able value (string, number, boolean, null, list, map, record)
     * @return this registration
     * @throws IllegalArgumentException when the key is empty or the value cannot be stored and read
     *     back as JSON: not representable, nested deeper than {@value io.mlops.core.Json#MAX_DEPTH}
     *     levels, a number longer than {@value io.mlops.core.Json#MAX_NUMBER_LENGTH} digits, or more
     *     than 1,000,000 characters of JSON (the limit of a version's metadata and tags together,
     *     checked again by {@link #save()})
     */
    Registration metadata(String key, Object value);

    /**
     * Adds metadata entries.
     *
     * @param metadata the entries
     * @return this registration
     * @throws IllegalArgumentException as {@link #metadata(String, Object)}
     */
    Registration metadata(Map<String, ?> metadata);

    /**
     * Adds a tag.
     *
     * @param key a non-empty key without control characters
     * @param value the value
     * @return this registration
     */
    Registration tag(String key, String value);

    /**
     * Whether an existing version may be replaced (default {@code false}: it is an
     * {@link io.mlops.core.AlreadyExistsException}).
     *
     * @param overwrite {@code true} to replace
     * @return this registration
     */
    Registration overwrite(boolean overwrite);

    /**
     * Makes the registration safe to retry: a second {@code save()} with the same key, after a
     * first whose commit succeeded but whose answer was lost (a dropped connection, a timeout),
     * returns the version the first one registered instead of registering the artifact again. The
     * key is kept with the version as the tag {@value #IDEMPOTENCY_KEY_TAG}.
     *
     * <p>A key already used for this model with other content (artifact, metadata, other tags, or
     * an explicit version that differs) is an {@link io.mlops.core.AlreadyExistsException}. Without
     * a key, a retried registration of an auto-numbered version registers the next number. Looking
     * for the key reads every version of the model once, inside the write lock.
     *
     * @param key 1 to 256 characters without control characters, such as a job's run id
     * @return this registration
     * @since 0.1.0
     */
    Registration idempotencyKey(String key);

    /** The tag under which a version keeps its registration's {@link #idempotencyKey}. */
    String IDEMPOTENCY_KEY_TAG = "mlops.idempotency_key";

    /**
     * Stores the artifact and commits the version.
     *
     * @return the registered version
     * @throws IllegalStateException when no artifact was given, or save was already called
     * @throws IllegalArgumentException when the metadata and tags together exceed 1,000,000 characters of JSON
     * @throws io.mlops.core.AlreadyExistsException when the version exists and overwrite is off, or
     *     the idempotency key was used for other content
     * @throws io.mlops.core.ValidationException when the version has the same precedence as another
     *     (differing only in build metadata)
     * @throws io.mlops.core.StorageException when storage fails; nothing is then visible
     */
    ModelVersion save();

    /**
     * Signs the version as it is registered ({@link ModelRegistry#sign}), in the same commit: the
     * registration and its signature are stored together or not at all, and on the file system the
     * signature costs no extra fsync (its envelope rides in the registration's audit line).
     *
     * @param signer the key
     * @return this
     * @since 0.1.0
     */
    Registration signedBy(ModelSigner signer);
}
