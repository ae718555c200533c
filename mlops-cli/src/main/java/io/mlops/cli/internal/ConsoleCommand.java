package io.mlops.cli.internal;

import io.mlops.cli.MlopsCli;
import io.mlops.console.Console;
import io.mlops.monitor.ModelMonitor;
import io.mlops.monitor.spi.MonitorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mlops console}: the web console over the stores under the root, until interrupted. */
@Command(name = "console",
        description = {"Serves the web console over ROOT/registry, ROOT/data and the monitor store until stopped (Ctrl-C).",
            "Read-only unless the environment variable MLOPS_CONSOLE_TOKEN holds a token (16+ characters):"
                    + " then alias moves, rollbacks and approvals ask for it. MLOPS_CONSOLE_READER_TOKEN makes every page"
                    + " ask for a token (as the browser's password); MLOPS_CONSOLE_ADMIN_TOKEN adds an admin's."})
public final class ConsoleCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    HelpOption helpOption = new HelpOption();

    @ParentCommand
    MlopsCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8081", description = "Port (default ${DEFAULT-VALUE}; 0 for any free one)")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--db", paramLabel = "FILE", description = "A SQLite monitor file (default ROOT/monitor.db when it exists)")
    Path db;

    @Option(names = "--jdbc", paramLabel = "URL", description = "A PostgreSQL monitor store instead")
    String jdbc;

    @Option(names = "--profile", paramLabel = "FILE", description = "A reference profile (mlops drift --profile) for the drift page")
    Path profile;

    /** Used by picocli. */
    public ConsoleCommand() {
    }

    @Override
    public Integer call() throws Exception {
        Stores stores = new Stores(cli);
        Console.Builder b = Console.builder().host(host).port(port);
        io.mlops.registry.ModelRegistry registry = stores.registryIfPresent();
        io.mlops.data.DataVersioning data = stores.dataIfPresent();
        if (registry != null) {
            b.registry(registry);
        }
        if (data != null) {
            b.data(data);
        }
        MonitorStore store = stores.monitor(db, jdbc, Stores.MissingFile.NONE);
        if (registry == null && data == null && store == null) {
            throw new io.mlops.core.NotFoundException("No registry, data store or monitor under " + cli.root()
                    + " (give --root DIR or set MLOPS_ROOT)");
        }
        ModelMonitor monitor = store == null ? null : ModelMonitor.builder().store(store).defaultRules(false).build();
        if (monitor != null) {
            b.monitor(monitor);
        }
        if (profile != null) {
            b.driftReference(io.mlops.drift.ReferenceProfile.fromJson(Files.readString(profile)));
        }
        String token = System.getenv("MLOPS_CONSOLE_TOKEN");
        io.mlops.core.AccessTokens.Builder tokens = io.mlops.core.AccessTokens.builder();
        if (token != null && !token.isEmpty()) {
            tokens.token(io.mlops.core.AccessTokens.Role.DEPLOYER, token);
        }
        String reader = System.getenv("MLOPS_CONSOLE_READER_TOKEN");
        if (reader != null && !reader.isEmpty()) {
            tokens.token(io.mlops.core.AccessTokens.Role.READER, reader);
        }
        String admin = System.getenv("MLOPS_CONSOLE_ADMIN_TOKEN");
        if (admin != null && !admin.isEmpty()) {
            tokens.token(io.mlops.core.AccessTokens.Role.ADMIN, admin);
        }
        b.tokens(tokens.build());
        Console console;
        try {
            console = b.build().start();
        } catch (RuntimeException e) {
            if (monitor != null) {
                monitor.close();
            }
            throw e;
        }
        return Foreground.untilStopped(spec.commandLine().getOut(), "Console on " + console.uri() + (token == null
                || token.isEmpty() ? " (read-only: set MLOPS_CONSOLE_TOKEN to allow alias moves)"
                : " (alias moves allowed with the token set in MLOPS_CONSOLE_TOKEN)"), console, monitor);
    }
}
