package io.mlops.cli;

import io.mlops.cli.internal.BundleCommand;
import io.mlops.cli.internal.ConsoleCommand;
import io.mlops.cli.internal.ServeCommand;
import io.mlops.cli.internal.DataCommand;
import io.mlops.cli.internal.DriftCommand;
import io.mlops.cli.internal.ExitCodes;
import io.mlops.cli.internal.MonitorCommand;
import io.mlops.cli.internal.RegistryCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The {@code mlops} command line: the model registry, data versioning and drift detection from a
 * terminal or a CI pipeline, on the stores of a root folder (the embedded file-system stores).
 *
 * <pre>
 * mlops --root /srv/mlops registry list
 * mlops registry register churn model.onnx --tag format=onnx
 * mlops drift reference.csv current.csv --html report.html   # exit code 1 when drift is detected
 * mlops monitor dashboard --jdbc jdbc:postgresql://db/mlops?user=mlops
 * source &lt;(mlops generate-completion)                       # bash/zsh completion
 * </pre>
 *
 * <p>Exit codes: 0 success, 1 drift detected ({@code mlops drift}), 2 bad usage, 3 not found, 4 bad
 * input (a malformed CSV, an invalid name or version) or a refused change (deleting a version an
 * alias points at), 5 a storage failure, 6 too little data for a
 * drift decision ({@code --min-rows}), 70 an internal error. Errors are one line on stderr
 * ({@code mlops: ...}; a usage error adds a line saying where the help is); {@code --verbose} adds
 * the stack trace. Commands that only read never create the stores: without them they say where
 * they looked. Human-readable tables by default, {@code --json} for programs.
 *
 * @since 0.1.0
 */
@Command(name = "mlops", mixinStandardHelpOptions = true, versionProvider = MlopsCli.Version.class,
        description = "Model registry, data versioning, drift detection and monitoring on the stores under --root.",
        subcommands = {RegistryCommand.class, DataCommand.class, DriftCommand.class, MonitorCommand.class, BundleCommand.class,
            ConsoleCommand.class, ServeCommand.class,
            CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:drift detected (mlops drift)", "2:bad usage", "3:not found",
            "4:bad input (malformed CSV, invalid name or version) or a refused change (a version in use)", "5:storage failure",
            "6:too little data for a drift decision (mlops drift --min-rows)", "70:internal error"})
public final class MlopsCli {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "${env:MLOPS_ROOT:-mlops}",
            description = "Root folder of the stores (registry/ and data/ under it); default $MLOPS_ROOT, else ./mlops.")
    Path root;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:MLOPS_CONFIG}",
            description = {"A configuration file (JSON) saying where the stores are; MLOPS_* variables override it"
                    + " (MLOPS_STORES__JDBC=jdbc:postgresql://db/mlops?user=mlops, MLOPS_STORES__S3__BUCKET=models).",
                "Without stores.jdbc the registry and data live under --root; without stores.s3.bucket, their bytes too."})
    Path config;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Option(names = "--progress", negatable = true,
            description = "Progress bars on standard error for long work (default: when it is a terminal and the file is over 8 MB).")
    Boolean progress;

    @Option(names = "--verbose", description = "Print the stack trace of an error.")
    boolean verbose;

    /** Used by picocli. */
    public MlopsCli() {
    }

    /**
     * @return the root folder of the stores
     */
    public Path root() {
        return root;
    }

    /**
     * Returns the configuration: the file given with {@code --config} (or {@code $MLOPS_CONFIG}), if
     * any, with the {@code MLOPS_*} environment applied.
     *
     * @return the configuration
     */
    public io.mlops.core.MlopsConfig config() {
        io.mlops.core.MlopsConfig c = config == null ? io.mlops.core.MlopsConfig.fromJson("{}") : io.mlops.core.MlopsConfig.load(config);
        return c.withEnvironment(System.getenv());
    }

    /**
     * Tells whether progress bars were asked for ({@code --progress}), refused ({@code --no-progress}) or neither (null).
     *
     * @return the choice, or null
     */
    public Boolean progress() {
        return progress;
    }

    /**
     * Tells whether to print JSON instead of tables.
     *
     * @return whether to print JSON instead of tables
     */
    public boolean json() {
        return json;
    }

    /**
     * Runs a command line in this JVM.
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        MlopsCli cli = new MlopsCli();
        CommandLine line = new CommandLine(cli);
        line.registerConverter(java.time.Duration.class, new io.mlops.cli.internal.DurationConverter());
        line.setOut(out);
        line.setErr(err);
        line.setParameterExceptionHandler((e, args1) -> {
            // one line and where the help is, not the whole usage
            CommandLine failed = e.getCommandLine();
            err.println("mlops: " + e.getMessage().replace('\n', ' '));
            if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                err.println("Did you mean: " + String.join(", ", u.getSuggestions()) + "?");
            }
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return ExitCodes.USAGE;
        });
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException p) {
                return line.getParameterExceptionHandler().handleParseException(p, args);
            }
            err.println("mlops: " + ExitCodes.message(e));
            if (cli.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.of(e);
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** The version, from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MlopsCli.class.getPackage().getImplementationVersion();
            return new String[] {"mlops " + (v == null ? "(development build)" : v)};
        }
    }
}
