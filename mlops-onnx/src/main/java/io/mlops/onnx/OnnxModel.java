package io.mlops.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mlops.core.MlopsException;
import io.mlops.onnx.internal.InputLayout;
import io.mlops.onnx.internal.OutputReader;
import io.mlops.serving.FeatureSchema;
import io.mlops.serving.ModelLoader;
import io.mlops.serving.Prediction;
import io.mlops.serving.Predictor;
import io.mlops.serving.TensorBatch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A model in ONNX form (from scikit-learn, XGBoost, PyTorch...) run by ONNX Runtime's CPU build, as
 * a {@link Predictor}: named request fields go to the graph's input tensors by name (see
 * {@link #features()}), a classifier's label and probabilities (a tensor or scikit-learn's ZipMap)
 * or a regressor's value come back, and a batch runs as one tensor call.
 *
 * <p>Inputs: one numeric {@code [N, F]} input whose columns the model's metadata property
 * {@code feature_names} (a JSON list) names, or one {@code [N]} / {@code [N, 1]} input per feature.
 * A probability tensor's columns are the classes of the metadata property {@code classes} (a JSON
 * list), else 0..C-1. {@link #schema()} is derived from the graph, so a server rejects bad input
 * with a 400 naming the field before the model runs.
 *
 * <p>Thread-safe: ONNX Runtime runs a session from many threads at once. {@link #close()} waits for
 * runs in progress and then frees the native session; later calls fail with
 * {@link IllegalStateException}. One {@code OrtEnvironment} serves the whole JVM.
 *
 * @since 0.1.0
 */
public final class OnnxModel implements Predictor, AutoCloseable {

    private final OrtSession session;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final InputLayout layout;
    private final OutputReader reader;
    private final String type;
    /** The graph's tree ensemble, read from the model's bytes, when it is one (exact TreeSHAP). */
    private volatile Optional<io.mlops.onnx.internal.OnnxTrees.Ensemble> trees = Optional.empty();
    private final ReentrantReadWriteLock open = new ReentrantReadWriteLock();
    private boolean closed; // guarded by open's write lock

    private OnnxModel(OrtSession session) throws OrtException {
        this.session = session;
        Map<String, String> metadata = session.getMetadata().getCustomMetadata();
        this.inputs = specs(session.getInputInfo());
        this.outputs = specs(session.getOutputInfo());
        this.layout = InputLayout.of(session.getInputInfo(), metadata);
        this.reader = OutputReader.of(session.getOutputInfo(), metadata);
        String producer = session.getMetadata().getProducerName();
        this.type = "onnx " + (reader.isClassifier() ? "classifier" : "regressor")
                + (producer == null || producer.isEmpty() ? "" : " (" + producer + ")");
    }

    /**
     * Loads a model from its bytes.
     *
     * @param model the {@code .onnx} file's bytes
     * @return the model; close it when done
     * @throws MlopsException when ONNX Runtime cannot load it, or its inputs and outputs fit no
     *     supported layout (the message says which)
     */
    public static OnnxModel load(byte[] model) {
        OrtSession session;
        try (OrtSession.SessionOptions options = options()) {
            session = OrtEnvironment.getEnvironment().createSession(model, options);
        } catch (OrtException e) {
            throw new MlopsException("Cannot load the ONNX model (" + model.length + " bytes): " + e.getMessage(), e);
        }
        OnnxModel m = serve(session);
        m.trees = io.mlops.onnx.internal.OnnxTrees.read(new java.io.ByteArrayInputStream(model), m.layout.matrixWidth());
        return m;
    }

    /**
     * Loads a model from a file, which ONNX Runtime reads itself: the model never passes through
     * the Java heap, so a model larger than the heap loads.
     *
     * @param file the {@code .onnx} file
     * @return the model; close it when done
     * @throws io.mlops.core.NotFoundException when the file does not exist
     * @throws MlopsException when ONNX Runtime cannot load it, or its inputs and outputs fit no
     *     supported layout
     */
    public static OnnxModel load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new io.mlops.core.NotFoundException("No ONNX model at " + file);
        }
        OrtSession session;
        try (OrtSession.SessionOptions options = options()) {
            session = OrtEnvironment.getEnvironment().createSession(file.toAbsolutePath().toString(), options);
        } catch (OrtException e) {
            throw new MlopsException("Cannot load the ONNX model " + file + ": " + e.getMessage(), e);
        }
        OnnxModel m = serve(session);
        m.trees = readTrees(file, m.layout.matrixWidth());
        return m;
    }

    /**
     * Loads a model from a stream (read to its end, not closed), copied to a temporary file that
     * ONNX Runtime reads and that is deleted once the model is loaded: the model never passes
     * through the Java heap whole.
     *
     * @param in the {@code .onnx} file's content
     * @return the model; close it when done
     * @throws io.mlops.core.StorageException when the stream fails or the temporary file cannot be written
     * @throws MlopsException when ONNX Runtime cannot load it
     */
    public static OnnxModel load(InputStream in) {
        Path file;
        try {
            file = Files.createTempFile("mlops-model-", ".onnx");
        } catch (IOException e) {
            throw new io.mlops.core.StorageException("Cannot make a temporary file for the ONNX model: " + e.getMessage(), e);
        }
        try {
            try (java.io.OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new io.mlops.core.StorageException("Cannot read the ONNX model: " + e.getMessage(), e);
            }
            return load(file);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }

    /** Tree ensembles are read (streamed) from models up to this size; larger ones are explained by Kernel SHAP. */
    private static final long MAX_TREE_READ = 512L << 20;

    private static Optional<io.mlops.onnx.internal.OnnxTrees.Ensemble> readTrees(Path file, int width) {
        try {
            if (width < 1 || Files.size(file) > MAX_TREE_READ) {
                return Optional.empty();
            }
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                return io.mlops.onnx.internal.OnnxTrees.read(in, width);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        // requests run in parallel on the server's threads: one thread per run avoids oversubscription
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        return options;
    }

    private static OnnxModel serve(OrtSession session) {
        try {
            return new OnnxModel(session);
        } catch (OrtException | IllegalArgumentException e) {
            closeQuietly(session);
            throw new MlopsException("Cannot serve the ONNX model: " + e.getMessage(), e);
        }
    }

    /**
     * Returns a loader for {@code ModelServer.builder().fromRegistry(registry, model, alias, loader)}:
     * it streams the version's artifact (its SHA-256 verified while read) to a temporary file that
     * ONNX Runtime loads, so that a model larger than the Java heap loads. The server closes the
     * model it replaces when the alias moves, and its models when it stops.
     *
     * @return a loader of ONNX artifacts
     */
    public static ModelLoader loader() {
        return (registry, version) -> {
            try (InputStream in = registry.openArtifact(version)) {
                return load(in);
            }
        };
    }

    /**
     * @return the graph's inputs
     */
    public List<TensorSpec> inputs() {
        return inputs;
    }

    /**
     * @return the graph's outputs
     */
    public List<TensorSpec> outputs() {
        return outputs;
    }

    /**
     * @return the request fields the model reads, in column order
     */
    public List<String> features() {
        return layout.features();
    }

    @Override
    public Optional<FeatureSchema> schema() {
        return Optional.of(layout.schema());
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String labelDatatype() {
        return reader.labelDatatype();
    }

    @Override
    public Prediction predict(Map<String, Object> features) {
        return predictBatch(List.of(features)).get(0);
    }

    /**
     * Predicts the instances in one call of the graph on an {@code [N, ...]} batch.
     *
     * @param instances the instances
     * @return one prediction per instance, in order
     * @throws IllegalArgumentException when an instance lacks a feature or gives a wrong type
     * @throws IllegalStateException when the model is closed
     */
    @Override
    public List<Prediction> predictBatch(List<Map<String, Object>> instances) {
        if (instances.isEmpty()) {
            return List.of();
        }
        open.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the ONNX model is closed");
            }
            Map<String, OnnxTensor> tensors = layout.tensors(OrtEnvironment.getEnvironment(), instances);
            try (OrtSession.Result result = session.run(tensors)) {
                return reader.read(result, instances.size());
            } finally {
                tensors.values().forEach(OnnxTensor::close);
            }
        } catch (OrtException e) {
            throw new MlopsException("ONNX Runtime failed on a batch of " + instances.size() + ": " + e.getMessage(), e);
        } finally {
            open.readLock().unlock();
        }
    }

    /**
     * Predicts an Open Inference Protocol request's rows in one call of the graph, its tensors
     * made straight from the request's primitive arrays (no row is boxed) when the batch holds
     * every feature in a type the graph's input can take; otherwise as {@link #predictBatch} does.
     *
     * @param batch the request's rows
     * @return one prediction per row, in order
     * @throws IllegalArgumentException when a row lacks a feature or gives a wrong type
     * @throws IllegalStateException when the model is closed
     */
    @Override
    public List<Prediction> predictTensors(TensorBatch batch) {
        open.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the ONNX model is closed");
            }
            Map<String, OnnxTensor> tensors = layout.tensors(OrtEnvironment.getEnvironment(), batch);
            if (tensors == null) {
                return predictBatch(batch.instances());
            }
            try (OrtSession.Result result = session.run(tensors)) {
                return reader.read(result, batch.rows());
            } finally {
                tensors.values().forEach(OnnxTensor::close);
            }
        } catch (OrtException e) {
            throw new MlopsException("ONNX Runtime failed on a batch of " + batch.rows() + ": " + e.getMessage(), e);
        } finally {
            open.readLock().unlock();
        }
    }

    /** Waits for runs in progress, then frees the native session. Idempotent. */
    /**
     * An explainer of this model's predictions. A graph that is one ONNX-ML
     * {@code TreeEnsembleClassifier} or {@code TreeEnsembleRegressor} over a feature matrix
     * (scikit-learn's forests and boosted trees; {@code Cast}, {@code ZipMap}, {@code ArgMax}
     * around it and a {@code Scaler} before it) gets exact path-dependent TreeSHAP, its covers
     * counted from the background (an ONNX graph carries no training counts), its attributions of the raw score before the
     * graph's post-transform (the probabilities themselves for a random forest, the margin for a
     * logistic one); any other graph, Kernel SHAP.
     *
     * @param background rows standing for absent features (a sample of the training data)
     * @return the explainer
     * @throws IllegalArgumentException when the background is empty, too large or has invalid rows
     */
    @Override
    public io.mlops.serving.Explainer explainer(List<Map<String, Object>> background) {
        if (trees.isPresent()) {
            return new io.mlops.onnx.internal.TreeShapExplainer(trees.get(), layout, background);
        }
        return Predictor.super.explainer(background);
    }

    /**
     * @return whether {@link #explainer} gives exact TreeSHAP (the graph is a tree ensemble read here)
     */
    public boolean hasTreeEnsemble() {
        return trees.isPresent();
    }

    @Override
    public void close() {
        open.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(session);
            }
        } finally {
            open.writeLock().unlock();
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing more to free
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> out = new ArrayList<>();
        for (NodeInfo n : nodes.values()) {
            if (n.getInfo() instanceof TensorInfo t) {
                out.add(new TensorSpec(n.getName(), datatype(t.type), Arrays.stream(t.getShape()).boxed().toList()));
            } else {
                out.add(new TensorSpec(n.getName(), n.getInfo() instanceof MapInfo ? "MAP" : "SEQUENCE", List.of()));
            }
        }
        return List.copyOf(out);
    }

    /** The Open Inference Protocol's name of an element type. */
    static String datatype(OnnxJavaType t) {
        return switch (t) {
            case FLOAT -> "FP32";
            case DOUBLE -> "FP64";
            case FLOAT16 -> "FP16";
            case BFLOAT16 -> "BF16";
            case INT8 -> "INT8";
            case INT16 -> "INT16";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case UINT8 -> "UINT8";
            case BOOL -> "BOOL";
            case STRING -> "BYTES";
            default -> t.name();
        };
    }

    @Override
    public String toString() {
        return "OnnxModel[" + type + ", inputs " + inputs + ", outputs " + outputs + "]";
    }
}
