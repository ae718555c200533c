package io.mlops.cli.internal;

import io.mlops.cli.MlopsCli;
import io.mlops.core.Problem;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import io.mlops.registry.Registration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code mlops registry ...}: the model registry under {@code ROOT/registry}. */
@Command(name = "registry", description = "The model registry under ROOT/registry.")
public final class RegistryCommand {

    @picocli.CommandLine.Mixin
    HelpOption helpOption = new HelpOption();

    @ParentCommand
    MlopsCli cli;

    @Spec
    CommandSpec spec;

    /** Used by picocli. */
    public RegistryCommand() {
    }

    /** The registry for a command that only reads: it is never created by one. */
    private ModelRegistry registry() {
        return new Stores(cli).registry(false);
    }

    /** The registry for a command that changes it, created when missing. */
    private ModelRegistry writableRegistry() {
        return new Stores(cli).registry(true);
    }

    private Output output() {
        return new Output(spec.commandLine().getOut(), cli.json());
    }

    @Command(name = "list", description = "Lists the models with their version count, latest version and aliases.")
    int list(@picocli.CommandLine.Mixin HelpOption help) {
        ModelRegistry r = registry();
        List<List<Object>> rows = new ArrayList<>();
        for (String model : r.models()) {
            rows.add(List.of(model, r.versions(model).size(), r.latest(model).map(ModelVersion::version).orElse("-"),
                    r.aliases(model)));
        }
        output().table(List.of("model", "versions", "latest", "aliases"), rows);
        return ExitCodes.OK;
    }

    @Command(name = "versions", description = "Lists a model's versions, oldest first.")
    int versions(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model) {
        List<List<Object>> rows = new ArrayList<>();
        ModelRegistry r = registry();
        List<ModelVersion> all = r.versions(model);
        if (all.isEmpty()) {
            throw new io.mlops.registry.ModelNotFoundException("No model '" + model + "' in the registry");
        }
        for (ModelVersion v : all) {
            rows.add(List.of(v.version(), v.registeredAt(), v.sizeBytes(), cli.json() ? v.sha256() : v.sha256().substring(0, 12), v.tags()));
        }
        output().table(List.of("version", "registered_at", "size_bytes", "sha256", "tags"), rows);
        return ExitCodes.OK;
    }

    @Command(name = "show", description = "Shows one version: digest, size, metadata, tags.")
    int show(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model, @Parameters(paramLabel = "VERSION") String version) {
        output().object(fields(registry().get(model, version)));
        return ExitCodes.OK;
    }

    private static Map<String, Object> fields(ModelVersion v) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("model", v.name());
        f.put("version", v.version());
        f.put("sha256", v.sha256());
        f.put("size_bytes", v.sizeBytes());
        f.put("registered_at", v.registeredAt());
        f.put("metadata", v.metadata());
        f.put("tags", v.tags());
        return f;
    }

    @Command(name = "register", description = "Registers a file as a new version (auto-numbered unless --version).")
    int register(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model, @Parameters(paramLabel = "FILE") Path file,
                 @Option(names = {"--version", "--model-version"}, paramLabel = "VERSION",
                         description = "The version (SemVer); default: the next patch") String version,
                 @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag (repeatable)") Map<String, String> tags,
                 @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "A metadata entry, as text (repeatable)")
                 Map<String, String> metadata) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        Registration r = writableRegistry().register(model).artifact(file);
        if (version != null) {
            r.version(version);
        }
        if (tags != null) {
            tags.forEach(r::tag);
        }
        if (metadata != null) {
            metadata.forEach(r::metadata);
        }
        ModelVersion v = r.save();
        output().say("Registered " + v.name() + " " + v.version() + " (" + v.sizeBytes() + " bytes, sha256 " + v.sha256() + ")");
        if (cli.json()) {
            output().object(fields(v));
        }
        return ExitCodes.OK;
    }

    @Command(name = "alias", description = "Points an alias (production, staging...) at a version.")
    int alias(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model, @Parameters(paramLabel = "ALIAS") String alias,
              @Parameters(paramLabel = "VERSION") String version,
              @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept in the alias history and audit log") String reason) {
        ModelVersion v = writableRegistry().setAlias(model, alias, version, reason);
        output().say(model + "@" + alias + " -> " + v.version());
        if (cli.json()) {
            output().object(Map.of("model", model, "alias", alias, "version", v.version()));
        }
        return ExitCodes.OK;
    }

    @Command(name = "rollback", description = "Moves an alias back to its previous version.")
    int rollback(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model, @Parameters(paramLabel = "ALIAS") String alias,
                 @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept in the alias history and audit log") String reason) {
        ModelVersion v = writableRegistry().rollback(model, alias, reason);
        output().say(model + "@" + alias + " rolled back to " + v.version());
        if (cli.json()) {
            output().object(Map.of("model", model, "alias", alias, "version", v.version()));
        }
        return ExitCodes.OK;
    }

    @Command(name = "history", description = "Lists an alias's moves, oldest first.")
    int history(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model, @Parameters(paramLabel = "ALIAS") String alias) {
        List<List<Object>> rows = new ArrayList<>();
        ModelRegistry r = registry();
        List<AliasChange> changes = r.aliasHistory(model, alias);
        if (changes.isEmpty()) {
            throw new io.mlops.core.NotFoundException(r.versions(model).isEmpty() ? "No model '" + model + "' in the registry"
                    : "Model '" + model + "' has no alias '" + alias + "' (it was never set)");
        }
        for (AliasChange c : changes) {
            rows.add(java.util.Arrays.asList(c.at(), c.from(), c.to(), c.actor(), c.reason()));
        }
        output().table(List.of("at", "from", "to", "actor", "reason"), rows);
        return ExitCodes.OK;
    }

    @Command(name = "delete", description = "Deletes a version (refused while an alias points at it, unless --force).")
    int delete(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model, @Parameters(paramLabel = "VERSION") String version,
               @Option(names = "--force", description = "Also when an alias points at it (the alias is removed)") boolean force) {
        writableRegistry().delete(model, version, force);
        output().say("Deleted " + model + " " + version);
        if (cli.json()) {
            output().object(Map.of("model", model, "version", version, "deleted", true));
        }
        return ExitCodes.OK;
    }

    @Command(name = "verify",
            description = "Checks every record and artifact (reads each artifact once); exit code 5 when something is damaged.")
    int verify(@picocli.CommandLine.Mixin HelpOption help) {
        List<List<Object>> rows = new ArrayList<>();
        for (Problem p : registry().verify()) {
            rows.add(List.of(p.subject(), p.location(), p.description()));
        }
        output().table(List.of("subject", "location", "problem"), rows);
        output().say(rows.isEmpty() ? "All records and artifacts verified." : rows.size() + " problem(s) found.");
        return rows.isEmpty() ? ExitCodes.OK : ExitCodes.STORAGE;
    }
}
