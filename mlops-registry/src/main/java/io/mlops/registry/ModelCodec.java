package io.mlops.registry;

import io.mlops.registry.internal.Codecs;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.OutputStream;

/**
 * Turns a model object into artifact bytes and back.
 *
 * <p>Built-in codecs: {@link #bytes()}, {@link #json(Class)} (Jackson), and
 * {@link #javaSerialization(Class, String...)}, which never deserialises a class that the caller did
 * not allow. Implementations must be thread-safe.
 *
 * @param <T> the model type
 * @since 0.1.0
 */
public interface ModelCodec<T> {

    /**
     * Writes a model.
     *
     * @param model the model
     * @param out where to write; not closed
     * @throws IOException when writing fails
     */
    void encode(T model, OutputStream out) throws IOException;

    /**
     * Reads a model.
     *
     * @param in the artifact's bytes; not closed
     * @return the model
     * @throws IOException when reading fails or the bytes are not a valid model
     */
    T decode(InputStream in) throws IOException;

    /**
     * @return the identity codec: artifacts as {@code byte[]}
     */
    static ModelCodec<byte[]> bytes() {
        return Codecs.BYTES;
    }

    /**
     * A JSON codec (Jackson data binding) for models that are plain data: linear-model weights,
     * thresholds, vocabularies.
     *
     * @param type the model's class
     * @param <T> the model type
     * @return the codec
     */
    static <T> ModelCodec<T> json(Class<T> type) {
        return new Codecs.JsonCodec<>(type);
    }

    /**
     * A Java serialization codec guarded by an allow-list: only classes matching one of the
     * patterns (and arrays of them, and primitives) are deserialised; anything else is rejected with
     * an {@link java.io.InvalidClassException} before it is instantiated.
     *
     * <p>Patterns use {@link ObjectInputFilter.Config#createFilter} syntax without the {@code !}
     * and limit forms: {@code org.tribuo.**} (a package and its sub-packages), {@code java.util.*}
     * (one package), {@code java.lang.Integer} (one class). Allow what your model's object graph
     * holds and nothing more. Never use this codec on bytes you did not write yourself. The
     * {@linkplain JavaSerializationLimits#defaults() default resource limits} apply (nesting depth 25,
     * arrays of 10,000,000 elements); pass other {@link JavaSerializationLimits} for larger models.
     *
     * @param type the model's class (the deserialised object must be an instance of it)
     * @param allowedClassPatterns the allow-list, at least one pattern
     * @param <T> the model type
     * @return the codec
     * @throws IllegalArgumentException when no pattern is given or a pattern is malformed
     */
    static <T> ModelCodec<T> javaSerialization(Class<T> type, String... allowedClassPatterns) {
        return new Codecs.JavaSerializationCodec<>(type, JavaSerializationLimits.defaults(), allowedClassPatterns);
    }

    /**
     * The same allow-listed Java serialization codec, with resource limits other than the
     * {@linkplain JavaSerializationLimits#defaults() defaults} (a deeper model, a larger array).
     *
     * @param type the model's class (the deserialised object must be an instance of it)
     * @param limits the limits on depth, array length, references and bytes
     * @param allowedClassPatterns the allow-list, at least one pattern
     * @param <T> the model type
     * @return the codec
     * @throws IllegalArgumentException when no pattern is given or a pattern is malformed
     */
    static <T> ModelCodec<T> javaSerialization(Class<T> type, JavaSerializationLimits limits, String... allowedClassPatterns) {
        return new Codecs.JavaSerializationCodec<>(type, java.util.Objects.requireNonNull(limits, "limits"),
                allowedClassPatterns);
    }
}
