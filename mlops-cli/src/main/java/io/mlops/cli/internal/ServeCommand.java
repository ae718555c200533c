package io.mlops.cli.internal;

import io.mlops.cli.MlopsCli;
import io.mlops.core.ValidationException;
import io.mlops.monitor.ModelMonitor;
import io.mlops.onnx.OnnxModel;
import io.mlops.registry.ModelNotFoundException;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.serving.ModelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mlops serve}: serves what a registry alias points at, following the alias, until stopped. */
@Command(name = "serve",
        description = {"Serves the version an alias of MODEL points at (/predict, /batch_predict, the Open Inference Protocol"
                + " under /v2, /metrics) and follows the alias until stopped (Ctrl-C).",
            "The version's tag 'format' says how to load it (onnx: ONNX Runtime). Every request is logged to the monitor"
                    + " store (ROOT/monitor.db unless --no-monitor). A bearer token in MLOPS_SERVER_TOKEN guards the endpoints."})
public final class ServeCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    HelpOption helpOption = new HelpOption();

    @ParentCommand
    MlopsCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "The registered model")
    String model;

    @Option(names = "--alias", defaultValue = "production", description = "The alias to serve and follow (default ${DEFAULT-VALUE})")
    String alias;

    @Option(names = "--canary", paramLabel = "ALIAS", description = "Send a share of requests to this alias's version")
    String canary;

    @Option(names = "--share", defaultValue = "0.1", description = "The canary's share (default ${DEFAULT-VALUE})")
    double share;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 for any free one)")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--db", paramLabel = "FILE", description = "The monitor store (default ROOT/monitor.db)")
    Path db;

    @Option(names = "--no-monitor", description = "Log nothing")
    boolean noMonitor;

    @Option(names = "--same-features", description = {"Keep serving the version before when the alias moves to a version"
            + " whose features differ (default: follow it, with a warning and feature_changes in /model_info)"})
    boolean sameFeatures;

    @Option(names = "--trust-key", paramLabel = "FILE", description = {"Serve only versions of the alias signed by this"
            + " Ed25519 public key (PEM; repeatable: any one of them): the alias's trust policy, checked on every load"})
    List<Path> trustKeys;

    /** Used by picocli. */
    public ServeCommand() {
    }

    @Override
    public Integer call() throws Exception {
        Stores stores = new Stores(cli);
        ModelRegistry registry = stores.registry(false);
        if (trustKeys != null && !trustKeys.isEmpty()) {
            registry.trustPolicy(alias, RegistryCommand.policy(trustKeys));
        }
        ModelVersion served = registry.byAlias(model, alias).orElseThrow(() -> new ModelNotFoundException(
                "Model '" + model + "' has no version under alias '" + alias + "'"));
        String format = served.tags().getOrDefault("format", "onnx").toLowerCase(Locale.ROOT);
        if (!format.equals("onnx")) {
            throw new ValidationException("Cannot serve " + served.coordinates() + ": its tag format=" + format
                    + "; mlops serve loads ONNX models (tag format=onnx)");
        }
        ModelMonitor monitor = noMonitor ? null : ModelMonitor.builder()
                .store(stores.monitor(db, null, Stores.MissingFile.CREATE)).build();
        ModelServer.Builder b = ModelServer.builder().fromRegistry(registry, model, alias, OnnxModel.loader())
                .modelName(model).host(host).port(port).sameFeatures(sameFeatures);
        if (canary != null) {
            b.canary(canary, share);
        }
        if (monitor != null) {
            b.monitor(monitor);
        }
        String token = System.getenv("MLOPS_SERVER_TOKEN");
        if (token != null && !token.isEmpty()) {
            b.bearerToken(token);
        }
        ModelServer server;
        try {
            server = b.build().start();
        } catch (RuntimeException e) {
            if (monitor != null) {
                monitor.close();
            }
            throw e;
        }
        return Foreground.untilStopped(spec.commandLine().getOut(), "Serving " + model + " " + server.modelVersion()
                + " (alias " + alias + ") on " + server.uri(), server, monitor);
    }
}
