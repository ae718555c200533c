package io.mlops.cli.internal;

import io.mlops.cli.MlopsCli;
import io.mlops.serving.DeploymentBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mlops bundle}: writes the deployment files of a model server (Dockerfile, docker-compose.yml,
 * nginx.conf, run.sh) for a runnable jar whose main class starts a {@code ModelServer}.
 */
@Command(name = "bundle",
        description = "Writes Dockerfile, docker-compose.yml, nginx.conf and run.sh for a runnable jar that starts a ModelServer.")
public final class BundleCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    HelpOption helpOption = new HelpOption();

    @ParentCommand
    MlopsCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--service", required = true, paramLabel = "NAME", description = "The service's name, e.g. churn-api")
    String service;

    @Option(names = "--jar", required = true, paramLabel = "FILE", description = "The runnable jar's file name, beside the files")
    String jar;

    @Option(names = "--main", required = true, paramLabel = "CLASS", description = "The class whose main starts the server")
    String mainClass;

    @Option(names = "--port", defaultValue = "8080", description = "The server's port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--memory", defaultValue = "1g", description = "The container's memory limit (default ${DEFAULT-VALUE})")
    String memory;

    @Option(names = "--cpus", defaultValue = "1.0", description = "The container's CPU limit (default ${DEFAULT-VALUE})")
    double cpus;

    @Option(names = "--java-options", paramLabel = "OPTIONS", description = "JVM options for the container")
    String javaOptions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files")
    Path out;

    /** Used by picocli. */
    public BundleCommand() {
    }

    @Override
    public Integer call() {
        DeploymentBundle bundle = DeploymentBundle.forServer(service).jar(jar).mainClass(mainClass).port(port).memory(memory)
                .cpus(cpus);
        if (javaOptions != null) {
            bundle.javaOptions(javaOptions);
        }
        List<Path> files = bundle.writeTo(out);
        List<List<Object>> rows = new ArrayList<>();
        for (Path f : files) {
            rows.add(List.of(f.toString()));
        }
        new Output(spec.commandLine().getOut(), cli.json()).table(List.of("file"), rows);
        return ExitCodes.OK;
    }
}
