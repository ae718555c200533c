package io.mlops.registry.internal;

import io.mlops.core.AlreadyExistsException;
import io.mlops.core.Json;
import io.mlops.core.SemanticVersion;
import io.mlops.core.StorageException;
import io.mlops.core.ValidationException;
import io.mlops.core.spi.CorruptFileException;
import io.mlops.core.spi.IoSupplier;
import io.mlops.core.internal.io.Streams;
import io.mlops.core.spi.BlobRef;
import io.mlops.registry.ModelCodec;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.Registration;
import io.mlops.registry.RegistryEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One registration: collects the version, artifact, metadata and tags, then {@link #save()} stores
 * the artifact (outside the write lock: a large upload does not block other writers) and, under the
 * lock, allocates or checks the version, checks that the artifact is still stored, and writes the
 * record and its audit event. A registration that fails after storing its artifact removes the
 * artifact again unless another version uses it. Not thread-safe; one per {@code register} call.
 */
final class DefaultRegistration implements Registration {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultRegistration.class);
    /** Longest JSON text of one version's metadata and tags together. */
    static final int MAX_RECORD_CHARS = 1_000_000;

    private final RegistryContext registry;
    private final String name;
    private SemanticVersion version;
    private IoSupplier<InputStream> artifact;
    private Path tempArtifact;
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final Map<String, String> tags = new LinkedHashMap<>();
    private boolean overwrite;
    private String idempotencyKey;
    private io.mlops.registry.ModelSigner signer;
    private boolean saved;

    DefaultRegistration(RegistryContext registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    @Override
    public Registration version(String version) {
        this.version = SemanticVersion.parse(version);
        return this;
    }

    @Override
    public Registration artifact(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("artifact file " + file + " does not exist or is not a regular file");
        }
        return setArtifact(() -> Files.newInputStream(file));
    }

    @Override
    public Registration artifact(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        // not copied: a 200 MB artifact would otherwise cost 200 MB of heap (documented on the interface)
        return setArtifact(() -> new ByteArrayInputStream(bytes));
    }

    @Override
    public Registration artifact(InputStream stream) {
        Objects.requireNonNull(stream, "stream");
        boolean[] used = {false};
        return setArtifact(() -> {
            if (used[0]) {
                throw new IllegalStateException("an artifact stream can be read once");
            }
            used[0] = true;
            return Streams.nonClosing(stream);
        });
    }

    @Override
    public <T> Registration artifact(T model, ModelCodec<T> codec) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(codec, "codec");
        try {
            // encoded to a temp file, so that a codec failure can never leave a truncated artifact
            Path temp = Files.createTempFile("mlops-artifact-", ".bin");
            try (OutputStream out = Files.newOutputStream(temp)) {
                codec.encode(model, out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            deleteTemp();
            tempArtifact = temp;
        } catch (IOException e) {
            throw new StorageException("Cannot encode model for '" + name + "' with " + codec + ": " + e.getMessage(), e);
        }
        Path file = tempArtifact;
        return setArtifact(() -> Files.newInputStream(file));
    }

    private Registration setArtifact(IoSupplier<InputStream> source) {
        this.artifact = source;
        return this;
    }

    @Override
    public Registration metadata(String key, Object value) {
        checkKey("metadata key", key);
        Json.write(value, MAX_RECORD_CHARS, "metadata '" + key + "'"); // what cannot be read back is refused here
        metadata.put(key, Json.normalize(value));
        return this;
    }

    @Override
    public Registration metadata(Map<String, ?> entries) {
        Objects.requireNonNull(entries, "metadata");
        entries.forEach(this::metadata);
        return this;
    }

    @Override
    public Registration tag(String key, String value) {
        checkKey("tag key", key);
        tags.put(key, Objects.requireNonNull(value, "tag value"));
        return this;
    }

    @Override
    public Registration signedBy(io.mlops.registry.ModelSigner signer) {
        this.signer = java.util.Objects.requireNonNull(signer, "signer");
        return this;
    }

    @Override
    public Registration overwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    @Override
    public Registration idempotencyKey(String key) {
        checkKey("idempotency key", key);
        this.idempotencyKey = key;
        tags.put(IDEMPOTENCY_KEY_TAG, key);
        return this;
    }

    @Override
    public ModelVersion save() {
        if (saved) {
            throw new IllegalStateException("save() was already called for this registration of '" + name + "'");
        }
        if (artifact == null) {
            throw new IllegalStateException("no artifact given for '" + name + "': call artifact(...) before save()");
        }
        Json.write(Map.of("metadata", metadata, "tags", tags), MAX_RECORD_CHARS, "the metadata and tags of '" + name + "'");
        saved = true;
        try {
            return commit();
        } finally {
            deleteTemp();
        }
    }

    private ModelVersion commit() {
        if (version != null && !overwrite && idempotencyKey == null) {
            // fail before uploading anything when we already know the answer
            registry.find(name, version.toString()).ifPresent(existing -> {
                throw alreadyExists(existing.version());
            });
        }
        BlobRef ref;
        Optional<Path> commitFile = registry.store().commitFile();
        try (InputStream in = artifact.get()) {
            // with a file store, its commit line fsync'd next also commits the blob's name
            ref = commitFile.isPresent() ? registry.blobs().put(in, commitFile.get()) : registry.blobs().put(in);
        } catch (IOException e) {
            throw new StorageException("Cannot store the artifact of '" + name + "': " + e.getMessage(), e);
        }
        DefaultModelRegistry.Outcome committed;
        try {
            committed = registry.store().writeLocked(() -> commitLocked(ref));
        } catch (IOException e) {
            registry.collectIfUnreferenced(ref.sha256());
            throw new StorageException("Cannot register a version of '" + name + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            registry.collectIfUnreferenced(ref.sha256());
            throw e;
        }
        if (committed.event() != null) {
            registry.notifyListeners(committed.event());
        }
        return committed.version();
    }

    private DefaultModelRegistry.Outcome commitLocked(BlobRef ref) throws IOException {
        List<SemanticVersion> existing = registry.store().versions(name);
        if (idempotencyKey != null) {
            Optional<ModelVersion> earlier = registeredWithKey(existing);
            if (earlier.isPresent()) {
                return new DefaultModelRegistry.Outcome(sameContent(earlier.get(), ref), null); // a retry: nothing new
            }
        }
        SemanticVersion v = version != null ? version : nextVersion(existing);
        Optional<ModelVersion> previous = Optional.empty();
        boolean damagedPrevious = false;
        // the list is sorted by precedence (then build): look only at the versions equal in precedence
        int at = java.util.Collections.binarySearch(existing, v, SemanticVersion::comparePrecedence);
        int first = at;
        while (first > 0 && existing.get(first - 1).comparePrecedence(v) == 0) {
            first--;
        }
        for (int k = Math.max(first, 0); at >= 0 && k < existing.size() && existing.get(k).comparePrecedence(v) == 0; k++) {
            SemanticVersion e = existing.get(k);
            if (!e.equals(v)) {
                throw new ValidationException("Model '" + name + "' version '" + v + "' has the same precedence as"
                        + " existing version '" + e + "' (they differ only in build metadata)");
            }
            if (!overwrite) {
                throw alreadyExists(v.toString());
            }
            try {
                previous = registry.store().find(name, v);
            } catch (CorruptFileException damaged) {
                // replacing a damaged record is the repair; its artifact is unknown and stays
                LOG.warn("Overwriting the damaged record of model '{}' version '{}': {}", name, v, damaged.getMessage());
                damagedPrevious = true;
            }
        }
        if (!registry.blobs().exists(ref.sha256())) {
            throw new StorageException("The artifact " + ref.sha256() + " of '" + name + "' was removed while it was"
                    + " being registered (a concurrent delete collected it); register again");
        }
        Instant now = registry.clock().instant();
        ModelVersion record = new ModelVersion(name, v.toString(), ref.sha256(), ref.size(), now, metadata, tags);
        registry.store().put(record);
        String reason = null;
        if (signer != null) {
            try {
                registry.store().appendSignature(name, v, SignedStatements.sign(record, signer).envelope());
            } catch (java.security.GeneralSecurityException e) {
                throw new java.io.IOException("the signer " + signer + " could not sign " + record.coordinates() + ": "
                        + e.getMessage(), e);
            }
            reason = "signed by key " + signer.keyId();
        }
        RegistryEvent event = new RegistryEvent(previous.isPresent() || damagedPrevious ? RegistryEvent.Type.OVERWRITTEN
                : RegistryEvent.Type.REGISTERED, name, record.version(), null, null, now, registry.actor(), reason);
        event = AuditChain.append(registry.store(), event);
        if (previous.isPresent() && !previous.get().sha256().equals(ref.sha256())) {
            registry.collectLocked(previous.get().sha256());
        }
        return new DefaultModelRegistry.Outcome(record, event);
    }

    /** The version registered with this registration's idempotency key, newest first. */
    private Optional<ModelVersion> registeredWithKey(List<SemanticVersion> existing) throws IOException {
        for (int i = existing.size() - 1; i >= 0; i--) {
            Optional<ModelVersion> v;
            try {
                v = registry.store().find(name, existing.get(i));
            } catch (CorruptFileException damaged) {
                continue; // a damaged record cannot be the one this key registered as far as we can know
            }
            if (v.isPresent() && idempotencyKey.equals(v.get().tags().get(IDEMPOTENCY_KEY_TAG))) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** The earlier version when it holds what this registration would store; else the key was reused. */
    private ModelVersion sameContent(ModelVersion earlier, BlobRef ref) {
        boolean same = earlier.sha256().equals(ref.sha256()) && earlier.metadata().equals(metadata)
                && earlier.tags().equals(tags) && (version == null || version.toString().equals(earlier.version()));
        if (!same) {
            throw new AlreadyExistsException("Model '" + name + "' version '" + earlier.version() + "' was registered with"
                    + " idempotency key '" + idempotencyKey + "' and other content (artifact, metadata, tags or version);"
                    + " use another key for another registration");
        }
        LOG.info("Model '{}' version '{}' was already registered with idempotency key '{}': returning it", name,
                earlier.version(), idempotencyKey);
        return earlier;
    }

    private AlreadyExistsException alreadyExists(String v) {
        return new AlreadyExistsException("Model '" + name + "' version '" + v
                + "' already exists (use overwrite(true) to replace it)");
    }

    private void deleteTemp() {
        if (tempArtifact != null) {
            try {
                Files.deleteIfExists(tempArtifact);
            } catch (IOException e) {
                LOG.warn("Could not delete temp file {}: {}", tempArtifact, e.toString());
            }
            tempArtifact = null;
        }
    }

    /** 1.0.0 first; after a pre-release, its release; otherwise the next patch of the highest. */
    static SemanticVersion nextVersion(List<SemanticVersion> existing) {
        if (existing.isEmpty()) {
            return SemanticVersion.of(1, 0, 0);
        }
        SemanticVersion highest = existing.get(existing.size() - 1); // ascending by precedence
        if (highest.isPreRelease()) {
            return SemanticVersion.of(highest.major(), highest.minor(), highest.patch());
        }
        return highest.nextPatch();
    }

    private static void checkKey(String what, String key) {
        Objects.requireNonNull(key, what);
        if (key.isEmpty() || key.length() > 256 || key.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must be 1 to 256 characters without control characters but was '"
                    + key + "'");
        }
    }
}
