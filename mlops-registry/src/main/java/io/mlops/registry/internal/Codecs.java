package io.mlops.registry.internal;

import io.mlops.core.internal.io.Streams;
import io.mlops.registry.JavaSerializationLimits;
import io.mlops.registry.ModelCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.Objects;

/** The built-in {@link ModelCodec}s. */
public final class Codecs {

    /** Artifacts as {@code byte[]}. */
    public static final ModelCodec<byte[]> BYTES = new ModelCodec<>() {
        @Override
        public void encode(byte[] model, OutputStream out) throws IOException {
            out.write(model);
        }

        @Override
        public byte[] decode(InputStream in) throws IOException {
            return in.readAllBytes();
        }

        @Override
        public String toString() {
            return "ModelCodec.bytes()";
        }
    };

    private Codecs() {
    }

    /** Jackson data binding. */
    public static final class JsonCodec<T> implements ModelCodec<T> {
        private static final com.fasterxml.jackson.databind.ObjectWriter WRITER = io.mlops.core.Json.writer()
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        private static final com.fasterxml.jackson.databind.ObjectReader READER = io.mlops.core.Json.reader()
                .without(com.fasterxml.jackson.core.JsonParser.Feature.AUTO_CLOSE_SOURCE);
        private final Class<T> type;

        /**
         * Creates the json codec.
         *
         * @param type the model's class
         */
        public JsonCodec(Class<T> type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        @Override
        public void encode(T model, OutputStream out) throws IOException {
            WRITER.writeValue(Streams.nonClosing(out), model);
        }

        @Override
        public T decode(InputStream in) throws IOException {
            return READER.forType(type).readValue(in);
        }

        @Override
        public String toString() {
            return "ModelCodec.json(" + type.getName() + ")";
        }
    }

    /**
     * Java serialization behind an allow-list filter. Classes are matched by the JDK's pattern
     * filter; arrays are judged by their element type, primitives are allowed, and everything the
     * patterns do not allow is rejected (the JDK would leave it undecided).
     */
    public static final class JavaSerializationCodec<T> implements ModelCodec<T> {
        private final Class<T> type;
        private final ObjectInputFilter allowList;
        private final String patterns;
        private final JavaSerializationLimits limits;

        /**
         * Creates the java serialization codec.
         *
         * @param type the model's class
         * @param limits the resource limits
         * @param allowedClassPatterns class-name patterns to allow
         */
        public JavaSerializationCodec(Class<T> type, JavaSerializationLimits limits, String... allowedClassPatterns) {
            this.type = Objects.requireNonNull(type, "type");
            this.limits = Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(allowedClassPatterns, "allowedClassPatterns");
            if (allowedClassPatterns.length == 0) {
                throw new IllegalArgumentException("javaSerialization needs at least one allowed class pattern");
            }
            for (String p : allowedClassPatterns) {
                Objects.requireNonNull(p, "pattern");
                if (p.isBlank() || p.startsWith("!") || p.contains("=") || p.contains(";")) {
                    throw new IllegalArgumentException("allowed class pattern must be a class or package pattern"
                            + " such as 'org.tribuo.**' or 'java.util.HashMap' but was '" + p + "'");
                }
            }
            this.patterns = String.join(";", allowedClassPatterns);
            this.allowList = ObjectInputFilter.Config.createFilter(patterns);
        }

        @Override
        public void encode(T model, OutputStream out) throws IOException {
            ObjectOutputStream oos = new ObjectOutputStream(Streams.nonClosing(out));
            oos.writeObject(model);
            oos.flush();
        }

        @Override
        public T decode(InputStream in) throws IOException {
            ObjectInputStream ois = new ObjectInputStream(in);
            String[] rejected = new String[1];
            ois.setObjectInputFilter(info -> {
                String overLimit = overLimit(info);
                if (overLimit != null) {
                    if (rejected[0] == null) {
                        rejected[0] = overLimit;
                    }
                    return ObjectInputFilter.Status.REJECTED;
                }
                ObjectInputFilter.Status s = check(info);
                if (s == ObjectInputFilter.Status.REJECTED && rejected[0] == null) {
                    String name = info.serialClass().getTypeName();
                    rejected[0] = "class " + name + " is not on the allow-list [" + patterns + "] (filter status: REJECTED)";
                }
                return s;
            });
            Object o;
            try {
                o = ois.readObject();
            } catch (InvalidClassException e) {
                if (rejected[0] != null) {
                    throw new InvalidClassException(rejected[0]);
                }
                throw e;
            } catch (ClassNotFoundException e) {
                throw new IOException("Artifact refers to a class that is not on the classpath: " + e.getMessage(), e);
            } catch (StackOverflowError e) {
                throw new IOException("Artifact nests too deeply for this thread's stack (lower maxDepth of the limits)", e);
            } catch (RuntimeException e) {
                // a class's own readObject failing on the bytes it was given
                throw new IOException("Artifact cannot be deserialised: " + e, e);
            }
            if (!type.isInstance(o)) {
                throw new InvalidClassException(o.getClass().getName(), "artifact holds a "
                        + o.getClass().getName() + ", not a " + type.getName());
            }
            return type.cast(o);
        }

        /**
         * @return what limit the stream breaks at this point, or null
         */
        private String overLimit(ObjectInputFilter.FilterInfo info) {
            if (info.depth() > limits.maxDepth()) {
                return "the object graph nests deeper than " + limits.maxDepth() + " levels (raise"
                        + " JavaSerializationLimits.maxDepth for a deeper model)";
            }
            if (info.arrayLength() > limits.maxArrayLength()) {
                return "an array of " + info.arrayLength() + " elements is longer than " + limits.maxArrayLength()
                        + " (raise JavaSerializationLimits.maxArrayLength for a larger model)";
            }
            if (info.references() > limits.maxReferences()) {
                return "more than " + limits.maxReferences() + " objects and references (raise"
                        + " JavaSerializationLimits.maxReferences for a larger model)";
            }
            if (info.streamBytes() > limits.maxBytes()) {
                return "more than " + limits.maxBytes() + " bytes (raise JavaSerializationLimits.maxBytes for a larger model)";
            }
            return null;
        }

        private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED; // limits on depth and references: none imposed
            }
            boolean array = c.isArray();
            while (c.isArray()) {
                c = c.getComponentType();
            }
            // An array of primitives holds no objects; an Object[] is only a container (collections
            // serialise their elements in one), and each element it holds is checked on its own.
            if (c.isPrimitive() || array && c == Object.class) {
                return ObjectInputFilter.Status.ALLOWED;
            }
            ObjectInputFilter.Status s = allowList.checkInput(new ElementInfo(info, c));
            return s == ObjectInputFilter.Status.ALLOWED ? s : ObjectInputFilter.Status.REJECTED;
        }

        @Override
        public String toString() {
            return "ModelCodec.javaSerialization(" + type.getName() + ", " + patterns + ", " + limits + ")";
        }
    }

    /** The filter information of an array's element class, so that patterns judge the element. */
    private static final class ElementInfo implements ObjectInputFilter.FilterInfo {
        private final ObjectInputFilter.FilterInfo info;
        private final Class<?> element;

        ElementInfo(ObjectInputFilter.FilterInfo info, Class<?> element) {
            this.info = info;
            this.element = element;
        }

        @Override
        public Class<?> serialClass() {
            return element;
        }

        @Override
        public long arrayLength() {
            return info.arrayLength();
        }

        @Override
        public long depth() {
            return info.depth();
        }

        @Override
        public long references() {
            return info.references();
        }

        @Override
        public long streamBytes() {
            return info.streamBytes();
        }
    }
}
