package io.mlops.registry;

/**
 * Resource limits for {@link ModelCodec#javaSerialization(Class, JavaSerializationLimits, String...)},
 * applied by the JDK's {@link java.io.ObjectInputFilter} while a stream is read: an artifact made only
 * of allowed classes can still ask for a huge array, a deep graph (a stack overflow), or nested hash
 * sets whose hash codes take 2<sup>depth</sup> steps to compute. Beyond a limit, loading stops with a
 * {@link io.mlops.core.ValidationException} that names the limit.
 *
 * <p>The defaults ({@link #defaults()}) load a Tribuo random forest of trees up to about 16 levels
 * deep (its object graph is about 9 levels deeper than its trees) and keep a hostile artifact's cost
 * to a fraction of a second. Raise what your models need, and no more: each level of
 * {@link #maxDepth} doubles what a hostile artifact can make {@code load()} compute.
 *
 * @param maxDepth deepest nesting of objects (default 25)
 * @param maxArrayLength longest array, in elements (default 10,000,000)
 * @param maxReferences most objects and back-references in one stream (default 10,000,000)
 * @param maxBytes most bytes read from the stream (default 1 GiB)
 * @since 0.1.0
 */
public record JavaSerializationLimits(int maxDepth, long maxArrayLength, long maxReferences, long maxBytes) {

    /**
     * Checks the limits.
     *
     * @param maxDepth deepest nesting, {@code >= 1}
     * @param maxArrayLength longest array, {@code >= 0}
     * @param maxReferences most references, {@code >= 1}
     * @param maxBytes most bytes, {@code >= 1}
     * @throws IllegalArgumentException when a limit is out of range
     */
    public JavaSerializationLimits {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be >= 1 but was " + maxDepth);
        }
        if (maxArrayLength < 0) {
            throw new IllegalArgumentException("maxArrayLength must be >= 0 but was " + maxArrayLength);
        }
        if (maxReferences < 1) {
            throw new IllegalArgumentException("maxReferences must be >= 1 but was " + maxReferences);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1 but was " + maxBytes);
        }
    }

    /**
     * @return the default limits: depth 25, arrays of 10,000,000, 10,000,000 references, 1 GiB
     */
    public static JavaSerializationLimits defaults() {
        return new JavaSerializationLimits(25, 10_000_000, 10_000_000, 1L << 30);
    }

    /**
     * @param depth the deepest nesting
     * @return a copy with that limit
     */
    public JavaSerializationLimits withMaxDepth(int depth) {
        return new JavaSerializationLimits(depth, maxArrayLength, maxReferences, maxBytes);
    }

    /**
     * @param length the longest array
     * @return a copy with that limit
     */
    public JavaSerializationLimits withMaxArrayLength(long length) {
        return new JavaSerializationLimits(maxDepth, length, maxReferences, maxBytes);
    }

    /**
     * @param references the most references
     * @return a copy with that limit
     */
    public JavaSerializationLimits withMaxReferences(long references) {
        return new JavaSerializationLimits(maxDepth, maxArrayLength, references, maxBytes);
    }

    /**
     * @param bytes the most bytes
     * @return a copy with that limit
     */
    public JavaSerializationLimits withMaxBytes(long bytes) {
        return new JavaSerializationLimits(maxDepth, maxArrayLength, maxReferences, bytes);
    }
}
