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
              @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept in the alias history and audit log") String reason,
              @Option(names = "--trust-key", paramLabel = "FILE", description = "Move only to a version signed by this Ed25519"
                      + " public key (PEM; repeatable: any one of them)") List<Path> trustKeys) {
        ModelRegistry r = writableRegistry();
        if (trustKeys != null && !trustKeys.isEmpty()) {
            r.trustPolicy(alias, policy(trustKeys));
        }
        ModelVersion v = r.setAlias(model, alias, version, reason);
        output().say(model + "@" + alias + " -> " + v.version());
        if (cli.json()) {
            output().object(Map.of("model", model, "alias", alias, "version", v.version()));
        }
        return ExitCodes.OK;
    }

    /** A trust policy of the public keys in these files (PEM or Base64, at most 8 KiB each). */
    static io.mlops.registry.TrustPolicy policy(List<Path> keyFiles) {
        List<java.security.PublicKey> keys = new ArrayList<>();
        for (Path f : keyFiles) {
            keys.add(io.mlops.registry.TrustPolicy.readPublicKey(keyText(f)));
        }
        return io.mlops.registry.TrustPolicy.signedBy(keys.toArray(new java.security.PublicKey[0]));
    }

    private static String keyText(Path f) {
        try {
            if (Files.size(f) > 8_192) {
                throw new IllegalArgumentException(f + " is over 8 KiB: not a key");
            }
            return Files.readString(f, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Command(name = "sign", description = "Signs a version with an Ed25519 private key (a DSSE envelope over an in-toto statement).")
    int sign(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model,
             @Parameters(paramLabel = "VERSION") String version,
             @Option(names = "--key", required = true, paramLabel = "FILE", description = "The private key (PKCS#8 PEM, as"
                     + " openssl genpkey -algorithm ed25519 writes it)") Path key,
             @Option(names = "--key-id", required = true, paramLabel = "NAME", description = "The key's name, recorded with"
                     + " the signature") String keyId) {
        java.security.PrivateKey k;
        try {
            k = io.mlops.registry.ModelSigner.readPrivateKey(keyText(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
        io.mlops.registry.ModelSignature s = writableRegistry().sign(model, version, io.mlops.registry.ModelSigner.ed25519(k, keyId));
        output().say("Signed " + model + " " + version + " with key '" + s.keyId() + "'");
        if (cli.json()) {
            output().object(Map.of("model", model, "version", version, "key_id", s.keyId()));
        }
        return ExitCodes.OK;
    }

    @Command(name = "signatures", description = "Lists a version's signatures; with --trust-key, checks them (exit 4 when untrusted).")
    int signatures(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model,
                   @Parameters(paramLabel = "VERSION") String version,
                   @Option(names = "--trust-key", paramLabel = "FILE", description = "A trusted public key (PEM; repeatable)")
                   List<Path> trustKeys) {
        ModelRegistry r = registry();
        r.get(model, version);
        List<List<Object>> rows = new ArrayList<>();
        for (io.mlops.registry.ModelSignature s : r.signatures(model, version)) {
            rows.add(List.of(s.keyId(), s.envelope().length()));
        }
        output().table(List.of("key_id", "envelope_chars"), rows);
        if (trustKeys == null || trustKeys.isEmpty()) {
            return ExitCodes.OK;
        }
        io.mlops.registry.SignatureCheck check = r.verifySignatures(model, version, policy(trustKeys));
        if (check.trusted()) {
            output().say("Trusted: signed by key " + check.keyFingerprint());
            return ExitCodes.OK;
        }
        throw new io.mlops.registry.UntrustedModelException(model + " " + version + " is not trusted: "
                + String.join("; ", check.problems()));
    }

    @Command(name = "verify-audit", description = "Checks the audit trail's hash chain (exit 4 when broken); prints its head.")
    int verifyAudit(@picocli.CommandLine.Mixin HelpOption help,
                    @Option(names = "--head", paramLabel = "HEAD", description = "A head exported earlier (mlops-audit-head:1:N:HASH)"
                            + " that the trail must contain") String head) {
        io.mlops.registry.AuditVerification v = registry().verifyAuditTrail(head == null ? null
                : io.mlops.registry.AuditHead.parse(head));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("intact", v.intact());
        f.put("events", v.events());
        f.put("unchained", v.unchained());
        f.put("head", v.head() == null ? null : v.head().toString());
        if (!v.intact()) {
            f.put("first_broken", v.firstBroken());
            f.put("problem", v.problem());
        }
        output().object(f);
        if (!v.intact()) {
            throw new io.mlops.core.ValidationException("The audit trail is not intact: " + v.problem());
        }
        return ExitCodes.OK;
    }

    @Command(name = "card", description = "Prints a version's model card: the registry's facts, the training data and"
            + " live metrics from the stores under the root, and the card.* metadata texts.")
    int card(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model,
             @Parameters(paramLabel = "VERSION") String version,
             @Option(names = "--format", defaultValue = "markdown", paramLabel = "FORMAT",
                     description = "markdown, html or json (default ${DEFAULT-VALUE})") String format) throws Exception {
        Stores stores = new Stores(cli);
        ModelRegistry r = registry();
        io.mlops.registry.ModelCard card = CardFacts.complete(r.card(model, version), r, stores.dataIfPresent(),
                stores.monitor(null, null, Stores.MissingFile.NONE));
        String text = switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "markdown", "md" -> card.toMarkdown();
            case "html" -> card.toHtml();
            case "json" -> card.toJson();
            default -> throw new IllegalArgumentException("--format is markdown, html or json, not " + format);
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    @Command(name = "requests", description = "Lists alias move requests (protected aliases), oldest first.")
    int requests(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL", arity = "0..1") String model,
                 @Option(names = "--pending", description = "Only those awaiting approval") boolean pending) {
        List<List<Object>> rows = new ArrayList<>();
        for (io.mlops.registry.AliasMoveRequest r : registry().aliasMoveRequests(model)) {
            if (!pending || r.status() == io.mlops.registry.AliasMoveRequest.Status.PENDING) {
                rows.add(java.util.Arrays.asList(r.id(), r.model(), r.alias(), r.from() == null ? "-" : r.from(), r.version(),
                        r.status().name().toLowerCase(java.util.Locale.ROOT), r.requester(), String.join(",", r.approvers()),
                        r.requestedAt()));
            }
        }
        output().table(List.of("id", "model", "alias", "from", "to", "status", "requester", "approvers", "requested_at"), rows);
        return ExitCodes.OK;
    }

    @Command(name = "request-move", description = "Requests a protected alias's move; it moves once approved (approve).")
    int requestMove(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "MODEL") String model,
                    @Parameters(paramLabel = "ALIAS") String alias, @Parameters(paramLabel = "VERSION") String version,
                    @Option(names = "--requester", required = true, paramLabel = "NAME", description = "Who asks") String requester,
                    @Option(names = "--reason", paramLabel = "TEXT", description = "Why") String reason,
                    @Option(names = "--approvals", defaultValue = "1", paramLabel = "N",
                            description = "The approvals the alias needs (default ${DEFAULT-VALUE})") int approvals) {
        io.mlops.registry.AliasMoveRequest r = writableRegistry().protectAlias(alias, approvals)
                .requestAliasMove(model, alias, version, requester, reason);
        output().say("Request " + r.id() + ": " + model + "@" + alias + " -> " + version + " awaits " + approvals
                + " approval(s)");
        if (cli.json()) {
            output().object(Map.of("id", r.id(), "status", "pending"));
        }
        return ExitCodes.OK;
    }

    @Command(name = "approve", description = "Approves an alias move request; the last approval needed moves the alias.")
    int approve(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "REQUEST") String id,
                @Option(names = "--approver", required = true, paramLabel = "NAME", description = "Who approves") String approver,
                @Option(names = "--approvals", defaultValue = "1", paramLabel = "N",
                        description = "The approvals the alias needs (default ${DEFAULT-VALUE})") int approvals) {
        ModelRegistry r = writableRegistry();
        io.mlops.registry.AliasMoveRequest request = r.aliasMoveRequest(id).orElseThrow(
                () -> new io.mlops.core.NotFoundException("No alias move request " + id));
        io.mlops.registry.AliasMoveRequest after = r.protectAlias(request.alias(), approvals).approve(id, approver);
        output().say("Request " + id + " is " + after.status().name().toLowerCase(java.util.Locale.ROOT) + " (approved by "
                + String.join(", ", after.approvers()) + ")");
        if (cli.json()) {
            output().object(Map.of("id", id, "status", after.status().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return ExitCodes.OK;
    }

    @Command(name = "reject", description = "Rejects (or withdraws) an alias move request.")
    int reject(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "REQUEST") String id,
               @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who rejects") String person,
               @Option(names = "--reason", paramLabel = "TEXT", description = "Why") String reason) {
        writableRegistry().reject(id, person, reason);
        output().say("Request " + id + " rejected");
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
