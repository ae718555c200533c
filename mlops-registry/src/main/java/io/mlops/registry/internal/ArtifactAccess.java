package io.mlops.registry.internal;

import io.mlops.core.NotFoundException;
import io.mlops.core.Problem;
import io.mlops.core.StorageException;
import io.mlops.core.ValidationException;
import io.mlops.registry.ModelCodec;
import io.mlops.registry.ModelNotFoundException;
import io.mlops.registry.ModelVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reading artifacts: verified streams, codecs that never see unverified bytes, and verify(). */
final class ArtifactAccess {

    private final RegistryContext registry;
    private final java.util.function.Supplier<List<String>> models;
    private final java.util.function.Function<String, List<ModelVersion>> versions;

    /** Given the registry's listings, which skip damaged records with a warning. */
    ArtifactAccess(RegistryContext registry, java.util.function.Supplier<List<String>> models,
                   java.util.function.Function<String, List<ModelVersion>> versions) {
        this.registry = registry;
        this.models = models;
        this.versions = versions;
    }

    InputStream open(ModelVersion version) {
        Objects.requireNonNull(version, "version");
        try {
            return registry.blobs().open(version.sha256());
        } catch (NotFoundException e) {
            throw new ModelNotFoundException("The artifact " + version.sha256() + " of model '" + version.name()
                    + "' version '" + version.version() + "' is missing from the blob store");
        } catch (IOException e) {
            throw new StorageException("Cannot open the artifact of " + version.coordinates() + ": " + e.getMessage(), e);
        }
    }

    <T> T load(ModelVersion version, ModelCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        // Verify the whole artifact before a codec sees a byte of it: a decoder must never run on
        // tampered input. The second read is verified again.
        try (InputStream in = open(version)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new StorageException("Cannot read the artifact of " + version.coordinates() + ": " + e.getMessage(), e);
        }
        try (InputStream in = open(version)) {
            T model = codec.decode(in);
            in.transferTo(OutputStream.nullOutputStream());
            return model;
        } catch (InvalidClassException e) {
            throw new ValidationException("Cannot load " + version.coordinates() + " with " + codec + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new ValidationException("Cannot decode " + version.coordinates() + " with " + codec + ": "
                    + e.getMessage(), e);
        } catch (io.mlops.core.MlopsException e) {
            throw e; // the artifact's bytes do not verify
        } catch (RuntimeException | StackOverflowError e) {
            // a codec failing in a way it did not declare: still the caller's artifact, not our state
            throw new ValidationException("Cannot decode " + version.coordinates() + " with " + codec + ": " + e, e);
        }
    }

    List<Problem> verify() {
        List<Problem> problems = new ArrayList<>(registry.read(registry.store()::verify));
        for (String model : models.get()) {
            for (ModelVersion v : versions.apply(model)) {
                String subject = "model '" + v.name() + "' version '" + v.version() + "'";
                try (InputStream in = registry.blobs().open(v.sha256())) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (NotFoundException e) {
                    problems.add(new Problem(subject, "blob " + v.sha256(), "its artifact is missing from " + registry.blobs()
                            + "; register the same bytes again to restore it"));
                } catch (io.mlops.core.IntegrityException e) {
                    problems.add(new Problem(subject, "blob " + v.sha256(), "its artifact is damaged (" + e.getMessage()
                            + "); register the same bytes again to repair it"));
                } catch (IOException e) {
                    problems.add(new Problem(subject, "blob " + v.sha256(), "its artifact cannot be read: " + e.getMessage()));
                }
            }
        }
        return List.copyOf(problems);
    }
}
