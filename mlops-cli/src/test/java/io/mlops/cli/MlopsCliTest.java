package io.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command end to end in this JVM: output, {@code --json}, exit codes, and one-line errors. */
class MlopsCliTest {

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();

    /** One run: its exit code, standard output and standard error. */
    record Run(int code, String out, String err) {
    }

    Run mlops(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = dir.resolve("root").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = MlopsCli.run(new PrintWriter(out), new PrintWriter(err), all);
        return new Run(code, out.toString(), err.toString());
    }

    Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void serveAnswersWithTheOnnxModelTheAliasPointsAtAndLogsToTheMonitor() throws Exception {
        Path onnx = Path.of("..", "mlops-onnx", "src", "test", "resources", "models", "iris_logreg.onnx");
        assertThat(mlops("registry", "register", "iris", onnx.toString(), "--model-version", "1.0.0", "--tag", "format=onnx").code())
                .isZero();
        assertThat(mlops("registry", "alias", "iris", "production", "1.0.0").code()).isZero();
        StringWriter out = new StringWriter();
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(MlopsCli.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()),
                "--root", dir.resolve("root").toString(), "serve", "--model", "iris", "--port", "0")));
        t.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!out.toString().contains(" on http") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" on (http\\S+)").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        assertThat(out.toString()).startsWith("Serving iris 1.0.0 (alias production)");
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1)).resolve("/predict"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json.readTree(answer.body()).get("model_version").asText()).isEqualTo("1.0.0");
        t.interrupt();
        t.join(10_000);
        assertThat(code.get()).isZero();
        JsonNode metrics = json.readTree(mlops("--json", "monitor", "metrics", "--window", "PT2H").out());
        assertThat(metrics.get("predictions").asLong()).as(metrics.toString()).isEqualTo(1); // two hours: the request may be in either

        assertThat(mlops("registry", "register", "pickled", onnx.toString(), "--model-version", "1.0.0", "--tag", "format=pickle")
                .code()).isZero();
        assertThat(mlops("registry", "alias", "pickled", "production", "1.0.0").code()).isZero();
        Run pickled = mlops("serve", "--model", "pickled", "--port", "0", "--no-monitor");
        assertThat(pickled.code()).isEqualTo(4);
        assertThat(pickled.err()).contains("format=pickle");
        assertThat(mlops("serve", "--model", "iris", "--alias", "staging", "--port", "0").code()).isEqualTo(3);
    }

    /** Writes a key pair as openssl does: PKCS#8 and SubjectPublicKeyInfo PEM. */
    Path[] pemKeys(String name) throws Exception {
        java.security.KeyPair k = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
        return new Path[] {
            file(name + ".key", "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(k.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n"),
            file(name + ".pub", "-----BEGIN PUBLIC KEY-----\n" + b64.encodeToString(k.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n")};
    }

    @Test
    void signedVersionsAreServedUnderATrustKeyAndUnsignedOnesRefused() throws Exception {
        Path onnx = Path.of("..", "mlops-onnx", "src", "test", "resources", "models", "iris_logreg.onnx");
        Path[] release = pemKeys("release");
        Path[] stranger = pemKeys("stranger");
        assertThat(mlops("registry", "register", "iris", onnx.toString(), "--model-version", "1.0.0", "--tag", "format=onnx")
                .code()).isZero();
        assertThat(mlops("registry", "register", "iris", onnx.toString(), "--model-version", "2.0.0", "--tag", "format=onnx")
                .code()).isZero();
        assertThat(mlops("registry", "alias", "iris", "production", "1.0.0").code()).isZero(); // no policy yet
        // an unsigned version: refused by the alias move and by serve, with the reason, exit 4
        Run refused = mlops("registry", "alias", "iris", "production", "2.0.0", "--trust-key", release[1].toString());
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.err()).contains("not signed").doesNotContain("Exception");
        Run unsigned = mlops("serve", "--model", "iris", "--port", "0", "--no-monitor", "--trust-key", release[1].toString());
        assertThat(unsigned.code()).isEqualTo(4);
        assertThat(unsigned.err()).contains("iris 1.0.0").contains("not signed").contains("production");
        // signed by a stranger: still refused; by the release key: served
        assertThat(mlops("registry", "sign", "iris", "1.0.0", "--key", stranger[0].toString(), "--key-id", "stranger").code()).isZero();
        assertThat(mlops("serve", "--model", "iris", "--port", "0", "--no-monitor", "--trust-key", release[1].toString()).err())
                .contains("stranger");
        Run signed = mlops("registry", "sign", "iris", "1.0.0", "--key", release[0].toString(), "--key-id", "release-2026");
        assertThat(signed.code()).as(signed.err()).isZero();
        assertThat(mlops("registry", "signatures", "iris", "1.0.0", "--trust-key", release[1].toString()).code()).isZero();
        assertThat(mlops("registry", "signatures", "iris", "1.0.0", "--trust-key", stranger[1].toString(), "--trust-key",
                release[1].toString()).code()).isZero();
        assertThat(mlops("registry", "signatures", "iris", "2.0.0", "--trust-key", release[1].toString()).code()).isEqualTo(4);
        StringWriter out = new StringWriter();
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(MlopsCli.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()),
                "--root", dir.resolve("root").toString(), "serve", "--model", "iris", "--port", "0", "--no-monitor",
                "--trust-key", release[1].toString())));
        t.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!out.toString().contains(" on http") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(out.toString()).startsWith("Serving iris 1.0.0 (alias production)");
        t.interrupt();
        t.join(10_000);
        assertThat(code.get()).isZero();
        // a key file that is not a key, a private key given as the trust key: exit 4, no key material echoed
        Run garbage = mlops("registry", "alias", "iris", "production", "1.0.0", "--trust-key", file("bad.pub", "hello").toString());
        assertThat(garbage.code()).isEqualTo(4);
        Run swapped = mlops("registry", "sign", "iris", "2.0.0", "--key", release[1].toString(), "--key-id", "x");
        assertThat(swapped.code()).isEqualTo(4);
        assertThat(swapped.err()).doesNotContain(Files.readString(release[0]).substring(30, 60));
        // the audit trail: intact, its head printed; a head from elsewhere fails
        Run audit = mlops("--json", "registry", "verify-audit");
        assertThat(audit.code()).as(audit.err()).isZero();
        JsonNode head = json.readTree(audit.out());
        assertThat(head.get("intact").asBoolean()).isTrue();
        assertThat(mlops("registry", "verify-audit", "--head", head.get("head").asText()).code()).isZero();
        assertThat(mlops("registry", "verify-audit", "--head", "mlops-audit-head:1:2:" + "0".repeat(64)).code()).isEqualTo(4);
        assertThat(mlops("registry", "verify-audit", "--head", "nonsense").code()).isEqualTo(4);
    }

    @Test
    void aliasMoveRequestsAreFiledListedApprovedAndRefusedToTheirRequester() throws Exception {
        assertThat(mlops("registry", "register", "churn", file("a.bin", "a").toString(), "--model-version", "1.0.0").code()).isZero();
        Run filed = mlops("--json", "registry", "request-move", "churn", "production", "1.0.0", "--requester", "ana",
                "--reason", "first release", "--approvals", "2");
        assertThat(filed.code()).as(filed.err()).isZero();
        String id = json.readTree(filed.out().substring(filed.out().indexOf('{'))).get("id").asText();
        JsonNode pending = json.readTree(mlops("--json", "registry", "requests", "churn", "--pending").out());
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("id").asText()).isEqualTo(id);
        assertThat(pending.get(0).get("requester").asText()).isEqualTo("ana");
        Run own = mlops("registry", "approve", id, "--approver", "ana", "--approvals", "2");
        assertThat(own.code()).isEqualTo(4);
        assertThat(own.err()).contains("cannot approve");
        assertThat(mlops("registry", "approve", id, "--approver", "bo", "--approvals", "2").out()).contains("pending");
        assertThat(mlops("registry", "approve", id, "--approver", "cy", "--approvals", "2").out()).contains("applied");
        assertThat(io.mlops.registry.ModelRegistry.fileSystem(dir.resolve("root/registry")).byAlias("churn", "production")
                .orElseThrow().version()).isEqualTo("1.0.0");
        assertThat(json.readTree(mlops("--json", "registry", "requests", "--pending").out())).isEmpty();
        assertThat(mlops("registry", "approve", "0123456789abcdef", "--approver", "bo").code()).isEqualTo(3);
        assertThat(mlops("registry", "reject", id, "--by", "dee").code()).isEqualTo(4); // applied already
    }

    @Test
    void aModelCardGathersTheRegistryTheTrainingDataAndTheLiveMetrics() throws Exception {
        io.mlops.data.DataVersioning data = io.mlops.data.DataVersioning.fileSystem(dir.resolve("root/data"));
        String raw = data.commit("customers", io.mlops.core.Dataset.builder().numeric("age", new double[] {31, 45, 52}).build())
                .save().id();
        String id = data.commit("customers", io.mlops.core.Dataset.builder().numeric("age", new double[] {31, 45}).build())
                .parents(raw).description("cleaned").save().id();
        assertThat(mlops("registry", "register", "churn", file("m.bin", "m").toString(), "--model-version", "1.0.0",
                "--metadata", "training_dataset=" + id, "--metadata", "card.intended_use=Churn risk, monthly plans").code()).isZero();
        assertThat(mlops("registry", "alias", "churn", "production", "1.0.0").code()).isZero();
        try (io.mlops.monitor.ModelMonitor m = io.mlops.monitor.ModelMonitor.builder()
                .store(io.mlops.monitor.spi.MonitorStore.sqlite(dir.resolve("root/monitor.db"))).defaultRules(false).build()) {
            for (int i = 0; i < 3; i++) {
                m.prediction().output(1).modelVersion("1.0.0").latency(java.time.Duration.ofMillis(4)).log();
            }
        }
        Run md = mlops("registry", "card", "churn", "1.0.0");
        assertThat(md.code()).as(md.err()).isZero();
        assertThat(md.out()).startsWith("# Model card: churn 1.0.0").contains("## Training dataset").contains("| name | customers |")
                .contains(id.replace("_", "\\_")).contains("## Since deployment").contains("| requests | 3 |")
                .contains("## Intended use\n\nChurn risk, monthly plans");
        JsonNode card = json.readTree(mlops("registry", "card", "churn", "1.0.0", "--format", "json").out());
        assertThat(card.at("/sections/Training dataset/rows").asLong()).isEqualTo(2);
        assertThat(card.at("/sections/Training dataset/lineage").toString()).contains(raw);
        assertThat(mlops("registry", "card", "churn", "1.0.0", "--format", "html").out()).startsWith("<!DOCTYPE html>");
        assertThat(mlops("registry", "card", "churn", "1.0.0", "--format", "pdf").code()).isEqualTo(4);
        assertThat(mlops("registry", "card", "churn", "2.0.0").code()).isEqualTo(3);
    }

    @Test
    void consoleServesTheStoresUnderTheRootUntilInterrupted() throws Exception {
        io.mlops.registry.ModelRegistry.fileSystem(dir.resolve("root/registry")).register("churn").version("1.0.0")
                .artifact(new byte[] {1}).save();
        StringWriter out = new StringWriter();
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(MlopsCli.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()),
                "--root", dir.resolve("root").toString(), "console", "--port", "0")));
        t.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!out.toString().contains("Console on ") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Console on (\\S+)").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        assertThat(out.toString()).contains("(read-only: set MLOPS_CONSOLE_TOKEN to allow alias moves)");
        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1)).resolve("/models/churn")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("1.0.0");
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(code.get()).isZero();
        assertThat(mlops("console", "--db", dir.resolve("missing.db").toString()).code()).isEqualTo(3);
    }

    @Test
    void registryCommands() throws Exception {
        Path model = file("model.bin", "weights");
        Run registered = mlops("registry", "register", "churn", model.toString(), "--tag", "format=bin", "--metadata", "auc=0.91");
        assertThat(registered.code()).as(registered.err()).isZero();
        assertThat(registered.out()).startsWith("Registered churn 1.0.0 (7 bytes, sha256 ");
        assertThat(mlops("registry", "register", "churn", model.toString(), "--model-version", "1.1.0").code()).isZero();

        Run list = mlops("registry", "list");
        assertThat(list.out()).contains("MODEL").contains("churn").contains("1.1.0");
        JsonNode versions = json.readTree(mlops("--json", "registry", "versions", "churn").out());
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("sha256").asText()).hasSize(64);
        assertThat(versions.get(0).at("/tags/format").asText()).isEqualTo("bin");

        JsonNode shown = json.readTree(mlops("--json", "registry", "show", "churn", "1.0.0").out());
        assertThat(shown.at("/metadata/auc").asText()).isEqualTo("0.91");
        assertThat(mlops("registry", "show", "churn", "1.0.0").out()).contains("sha256:").contains("tags:");

        assertThat(mlops("registry", "alias", "churn", "production", "1.0.0").out()).isEqualTo("churn@production -> 1.0.0\n");
        assertThat(mlops("registry", "alias", "churn", "production", "1.1.0").code()).isZero();
        assertThat(mlops("registry", "rollback", "churn", "production", "--reason", "p95 doubled").out())
                .contains("rolled back to 1.0.0");
        JsonNode history = json.readTree(mlops("--json", "registry", "history", "churn", "production").out());
        assertThat(history).hasSize(3);
        assertThat(history.get(2).get("to").asText()).isEqualTo("1.0.0");
        assertThat(history.get(2).get("reason").asText()).isEqualTo("p95 doubled");
        assertThat(mlops("registry", "alias", "churn", "staging", "1.0.0", "--reason", " ").code()).isNotZero();

        assertThat(mlops("registry", "verify").out()).contains("All records and artifacts verified.");
        assertThat(mlops("registry", "delete", "churn", "1.1.0").code()).isZero();
        assertThat(ModelRegistry.fileSystem(dir.resolve("root/registry")).versions("churn")).hasSize(1);
    }

    @Test
    void registryErrorsAreOneLineWithTheirExitCode() throws Exception {
        assertThat(mlops("registry", "register", "churn", file("first.bin", "x").toString()).code()).isZero();
        Run unknown = mlops("registry", "show", "nope", "1.0.0");
        assertThat(unknown.code()).isEqualTo(3);
        assertThat(unknown.err()).isEqualTo("mlops: Model 'nope' version '1.0.0' not found\n");
        Run missingFile = mlops("registry", "register", "churn", dir.resolve("absent.bin").toString());
        assertThat(missingFile.code()).isEqualTo(3);
        assertThat(missingFile.err()).startsWith("mlops: no such file: ").doesNotContain("\tat ");
        Run badName = mlops("registry", "register", "../etc", file("m.bin", "x").toString());
        assertThat(badName.code()).isEqualTo(4);
        assertThat(badName.err().lines()).hasSize(1);
        Run usage = mlops("registry", "alias", "churn");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required parameter");
        Run verbose = mlops("--verbose", "registry", "show", "nope", "1.0.0");
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void driftExitsOneOnDriftZeroWithoutAndWritesItsReports() throws Exception {
        StringBuilder ref = new StringBuilder("x,colour\n");
        StringBuilder same = new StringBuilder("x,colour\n");
        StringBuilder shifted = new StringBuilder("x,colour\n");
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 500; i++) {
            ref.append(r.nextGaussian()).append(',').append(i % 3 == 0 ? "red" : "blue").append('\n');
            same.append(r.nextGaussian()).append(',').append(i % 3 == 0 ? "red" : "blue").append('\n');
            shifted.append(r.nextGaussian() + 1.5).append(',').append(i % 2 == 0 ? "red" : "green").append('\n');
        }
        Path reference = file("ref.csv", ref.toString());
        Run none = mlops("drift", reference.toString(), file("same.csv", same.toString()).toString());
        assertThat(none.code()).as(none.out() + none.err()).isZero();
        assertThat(none.out()).contains("no drift");
        Path html = dir.resolve("report.html");
        Path report = dir.resolve("report.json");
        Run drift = mlops("drift", reference.toString(), file("shifted.csv", shifted.toString()).toString(),
                "--html", html.toString(), "--report", report.toString());
        assertThat(drift.code()).isEqualTo(1);
        assertThat(drift.out()).contains("DRIFT DETECTED: 2 of 2 features drifted");
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>");
        assertThat(json.readTree(report.toFile()).get("drift_detected").asBoolean()).isTrue();
        JsonNode asJson = json.readTree(mlops("--json", "drift", reference.toString(), dir.resolve("shifted.csv").toString()).out());
        assertThat(asJson.get("drift_detected").asBoolean()).isTrue();
        // a profile shipped instead of the data gives the same verdict
        Path profile = dir.resolve("profile.json");
        assertThat(mlops("drift", reference.toString(), "--write-profile", profile.toString()).code()).isZero();
        assertThat(mlops("drift", profile.toString(), dir.resolve("shifted.csv").toString()).code()).isEqualTo(1);
        assertThat(mlops("drift", profile.toString(), dir.resolve("same.csv").toString()).code()).isZero();
        Path written = dir.resolve("profile2.json");
        Run profiled = mlops("drift", "profile", reference.toString(), "--out", written.toString());
        assertThat(profiled.code()).as(profiled.err()).isZero();
        assertThat(profiled.out()).contains("500 rows, 2 columns");
        assertThat(mlops("drift", written.toString(), dir.resolve("shifted.csv").toString()).code()).isEqualTo(1);
        // the shifted colour as the target: reported apart, so only x counts
        Run roles = mlops("drift", reference.toString(), dir.resolve("shifted.csv").toString(), "--target", "colour");
        assertThat(roles.out()).contains("1 of 1 features drifted").contains("colour (target)").contains("target colour: DRIFT");
        Run ignored = mlops("drift", reference.toString(), dir.resolve("shifted.csv").toString(), "--ignore", "x,colour");
        assertThat(ignored.code()).isZero();
        assertThat(mlops("drift", "profile", dir.resolve("nope.csv").toString(), "--out", written.toString()).code()).isEqualTo(3);
        Run progress = mlops("--progress", "drift", reference.toString(), dir.resolve("same.csv").toString());
        assertThat(progress.code()).isZero();
        assertThat(progress.err()).contains("reading ref.csv [").contains("reading same.csv [").contains("100%");
        assertThat(mlops("drift", reference.toString(), dir.resolve("same.csv").toString()).err()).as("small files, no terminal")
                .isEmpty();
        Run committed = mlops("--progress", "data", "commit", "ref", reference.toString());
        assertThat(committed.err()).contains("storing ref.csv [##############################] 100%");
        Run usage = mlops("drift");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required parameter: 'REFERENCE'");
    }

    @Test
    void driftBadInputIsOneClearLine() throws Exception {
        Path reference = file("ref.csv", "x\n1\n2\n3\n");
        Run missing = mlops("drift", reference.toString(), dir.resolve("nope.csv").toString());
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).isEqualTo("mlops: no such file: " + dir.resolve("nope.csv") + "\n");
        Run malformed = mlops("drift", reference.toString(), file("bad.csv", "x,y\n1\n\"unterminated\n").toString());
        assertThat(malformed.code()).as(malformed.err()).isEqualTo(4);
        assertThat(malformed.err().lines()).hasSize(1);
        assertThat(malformed.err()).startsWith("mlops: ");
    }

    @Test
    void dataCommands() throws Exception {
        Path csv = file("train.csv", "a,b\n1,2\n3,4\n");
        Run first = mlops("--json", "data", "commit", "train", csv.toString(), "--description", "first cut");
        assertThat(first.code()).as(first.err()).isZero();
        String id = json.readTree(first.out()).get("id").asText();
        Path derived = file("clean.csv", "a,b\n1,2\n");
        assertThat(mlops("data", "commit", "clean", derived.toString(), "--parent", id).code()).isZero();
        assertThat(mlops("data", "log", "train").out()).contains(id).contains("first cut");
        assertThat(json.readTree(mlops("--json", "data", "show", id).out()).get("name").asText()).isEqualTo("train");
        String cleanId = json.readTree(mlops("--json", "data", "log", "clean").out()).get(0).get("id").asText();
        assertThat(json.readTree(mlops("--json", "data", "lineage", cleanId).out()).toString()).contains(id);
        assertThat(mlops("data", "verify").out()).contains("All versions verified.");
        String absent = id.substring(0, id.length() - 1) + (id.endsWith("0") ? "1" : "0");
        assertThat(mlops("data", "show", absent).code()).isEqualTo(3);
        assertThat(mlops("data", "show", "not an id").code()).isEqualTo(4);
    }

    @Test
    void aParquetFolderIsProfiledOutsideTheHeap() throws Exception {
        Path folder = dir.resolve("training");
        java.util.Random r = new java.util.Random(4);
        double[] x = new double[2_000];
        double[] id = new double[2_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
            id[i] = i;
        }
        io.mlops.core.Dataset train = io.mlops.core.Dataset.builder().numeric("id", id).numeric("x", x).build();
        train.writeParquet(folder.resolve("part-0.parquet"));
        Path written = dir.resolve("profile.json");
        Run profiled = mlops("drift", "profile", folder.toString(), "--ignore", "id", "--out", written.toString());
        assertThat(profiled.code()).as(profiled.err()).isZero();
        assertThat(profiled.out()).contains("2000 rows, 1 columns; outside the heap, exact");
        io.mlops.drift.ReferenceProfile p = io.mlops.drift.ReferenceProfile.fromJson(Files.readString(written));
        assertThat(p.columns()).containsExactly("x");
        JsonNode outside = json.readTree(p.toJson()).get("columns").get(0);
        JsonNode inside = json.readTree(io.mlops.drift.ReferenceProfile.of(io.mlops.core.Dataset.builder().numeric("x", x).build(), 10)
                .toJson()).get("columns").get(0);
        for (String field : new String[] {"count", "missing", "edges", "proportions", "quantiles"}) {
            assertThat(outside.get(field)).as(field).isEqualTo(inside.get(field));
        }
        Path csv = file("train.csv", "x\n1\n2\n3\n");
        Run fromCsv = mlops("drift", "profile", csv.toString(), "--outside-heap", "--out", dir.resolve("p2.json").toString());
        assertThat(fromCsv.code()).as(fromCsv.err()).isZero();
        assertThat(mlops("drift", "profile", folder.toString(), "--with-values", "--out", written.toString()).code()).isEqualTo(2);
        assertThat(mlops("drift", "profile", folder.toString(), "--ignore", "nope", "--out", written.toString()).code()).isEqualTo(4);
        assertThat(mlops("drift", "profile", dir.resolve("absent.parquet").toString(), "--out", written.toString()).code()).isEqualTo(3);
    }

    @Test
    void aFolderOfPartFilesIsCommittedComparedOnKeysAndCheckedOut() throws Exception {
        Path v1 = dir.resolve("v1");
        Path v2 = dir.resolve("v2");
        io.mlops.core.Dataset.builder().numeric("id", new double[] {1, 2, 3}).numeric("x", new double[] {10, 20, 30}).build()
                .writeParquet(v1.resolve("date=2026-12-01").resolve("part-0.parquet"));
        io.mlops.core.Dataset.builder().numeric("id", new double[] {2, 3, 4}).numeric("x", new double[] {20, 33, 40}).build()
                .writeParquet(v2.resolve("date=2026-12-01").resolve("part-0.parquet"));
        Files.writeString(v2.resolve("_SUCCESS"), "");
        Run first = mlops("data", "commit", "events", v1.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("a folder of Parquet files of 3 rows");
        JsonNode log = json.readTree(mlops("--json", "data", "log", "events").out());
        assertThat(log.get(0).get("rows").asLong()).isEqualTo(3);
        String a = log.get(0).get("id").asText();
        String b = json.readTree(mlops("--json", "data", "commit", "events", v2.toString()).out()).get("id").asText();

        Run rows = mlops("data", "diff", a, b, "--key", "id");
        assertThat(rows.code()).as(rows.err()).isZero();
        assertThat(rows.out()).contains("added 1, removed 1, changed 1, unchanged 1").contains("x: 1 row(s) changed")
                .contains("30.0 -> 33.0");
        JsonNode asJson = json.readTree(mlops("--json", "data", "diff", a, b, "--key", "id").out());
        assertThat(asJson.get("changed").asLong()).isEqualTo(1);
        assertThat(mlops("data", "diff", a, b, "--key", "customer_id").code()).isEqualTo(4);
        Run withBar = mlops("--progress", "data", "diff", a, b, "--key", "id");
        assertThat(withBar.err()).contains("comparing rows [").contains("100%").doesNotContain(" MB");

        Path out = dir.resolve("checked-out");
        assertThat(mlops("data", "checkout", b, out.toString()).code()).isZero();
        assertThat(Files.readAllBytes(out.resolve("date=2026-12-01/part-0.parquet")))
                .isEqualTo(Files.readAllBytes(v2.resolve("date=2026-12-01/part-0.parquet")));
    }

    @Test
    void monitorCommandsReadTheStoresTotals() throws Exception {
        Path db = dir.resolve("root/monitor.db");
        try (io.mlops.monitor.ModelMonitor monitor = io.mlops.monitor.ModelMonitor.builder()
                .store(io.mlops.monitor.spi.MonitorStore.sqlite(db)).build()) {
            for (int i = 0; i < 30; i++) {
                long id = monitor.prediction().output(1).latency(java.time.Duration.ofMillis(10)).modelVersion(i < 20 ? "1.0.0" : "1.1.0").log();
                monitor.feedback(id, i % 3 == 0 ? 0 : 1);
            }
            monitor.error("1.1.0", "timeout");
        }
        JsonNode all = json.readTree(mlops("--json", "monitor", "metrics").out());
        assertThat(all.get("predictions").asLong()).isEqualTo(30);
        assertThat(all.get("errors").asLong()).isEqualTo(1);
        assertThat(all.get("accuracy").asDouble()).isCloseTo(20.0 / 30, org.assertj.core.api.Assertions.within(1e-6));
        JsonNode canary = json.readTree(mlops("--json", "monitor", "metrics", "--model-version", "1.1.0", "--window", "PT1H").out());
        assertThat(canary.get("predictions").asLong()).isEqualTo(10);
        Run dashboard = mlops("monitor", "dashboard");
        assertThat(dashboard.code()).as(dashboard.err()).isZero();
        assertThat(dashboard.out()).contains("VERSION").contains("1.0.0").contains("1.1.0").contains("0 active alert(s)");
        assertThat(json.readTree(mlops("--json", "monitor", "dashboard").out()).at("/by_version/1.1.0/counts/errors").asLong())
                .isEqualTo(1);
        assertThat(mlops("--json", "monitor", "alerts").out().strip()).isEqualTo("[ ]");
        Run missing = mlops("monitor", "--db", dir.resolve("none.db").toString(), "metrics");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(Files.exists(dir.resolve("none.db"))).as("reading never creates a store").isFalse();
        assertThat(mlops("monitor", "metrics", "--window", "yesterday").code()).isEqualTo(2);
    }

    @Test
    void dataDiffAndShellCompletion() throws Exception {
        Path a = file("a.csv", "x,y\n1,2\n3,4\n");
        Path b = file("b.csv", "x,y,z\n1,2,0\n3,5,1\n6,7,2\n");
        String idA = json.readTree(mlops("--json", "data", "commit", "t", a.toString()).out()).get("id").asText();
        String idB = json.readTree(mlops("--json", "data", "commit", "t", b.toString()).out()).get("id").asText();
        Run diff = mlops("data", "diff", idA, idB);
        assertThat(diff.code()).as(diff.err()).isZero();
        assertThat(diff.out()).isNotBlank();
        assertThat(mlops("--json", "data", "diff", idA, idB).out()).contains("\"columnsAdded\"");
        Run completion = mlops("generate-completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("registry").contains("drift");
    }

    @Test
    void bundleWritesTheDeploymentFiles() throws Exception {
        Path out = dir.resolve("deploy");
        Run bundle = mlops("bundle", "--service", "churn-api", "--jar", "churn-api.jar", "--main", "com.example.ChurnApi",
                "--port", "9090", "--out", out.toString());
        assertThat(bundle.code()).as(bundle.err()).isZero();
        assertThat(out.resolve("Dockerfile")).content().contains("MLOPS_SERVER_PORT=9090").contains("com.example.ChurnApi");
        assertThat(out.resolve("docker-compose.yml")).exists();
        assertThat(out.resolve("nginx.conf")).exists();
        assertThat(out.resolve("run.sh")).exists();
        Run bad = mlops("bundle", "--service", "../x", "--jar", "a.jar", "--main", "A", "--out", out.toString());
        assertThat(bad.code()).isEqualTo(4);
        assertThat(mlops("bundle", "--service", "x").code()).isEqualTo(2);
    }

    @Test
    void helpEverywhere() {
        for (String[] args : new String[][] {{"--help"}, {"registry", "--help"}, {"registry", "register", "--help"},
            {"data", "commit", "--help"}, {"drift", "--help"}, {"monitor", "dashboard", "--help"}}) {
            Run help = mlops(args);
            assertThat(help.code()).isZero();
            assertThat(help.out()).startsWith("Usage: mlops");
        }
        assertThat(mlops("--help").out()).contains("Exit codes:").contains("1    drift detected");
    }

    @Test
    void anEmptyOrTooSmallSideIsExitSixNeverAPass() throws Exception {
        Path reference = file("ref.csv", "x,c\n" + "1.0,a\n2.0,b\n3.0,a\n".repeat(20));
        Path empty = file("empty.csv", "x,c\n");
        Run run = mlops("drift", reference.toString(), empty.toString());
        assertThat(run.code()).as(run.err()).isEqualTo(6);
        assertThat(run.err()).startsWith("mlops: the current data").contains("0 row(s)").contains("not a pass");
        assertThat(run.out()).doesNotContain("no drift");
        Path small = file("small.csv", "x,c\n1.0,a\n2.0,b\n");
        assertThat(mlops("drift", reference.toString(), small.toString()).code()).isIn(0, 1);
        assertThat(mlops("drift", reference.toString(), small.toString(), "--min-rows", "10").code()).isEqualTo(6);
        assertThat(mlops("drift", empty.toString(), reference.toString()).err()).startsWith("mlops: the reference");
        assertThat(mlops("drift", reference.toString(), small.toString(), "--min-rows", "0").code()).isEqualTo(2);
    }

    @Test
    void usageErrorsAreOneLineAndWhereTheHelpIs() {
        for (String[] args : new String[][] {{"registry", "register"}, {"registry", "register", "m", "f", "--frobnicate"},
            {"regsitry", "list"}, {"drift", "a.csv", "b.csv", "--significance", "lots"}}) {
            Run run = mlops(args);
            assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
            java.util.List<String> lines = run.err().lines().toList();
            assertThat(lines).as(run.err()).hasSizeBetween(2, 3);
            assertThat(lines.get(0)).startsWith("mlops: ");
            assertThat(lines.get(lines.size() - 1)).startsWith("Try 'mlops").endsWith("--help' for more information.");
            assertThat(run.out()).isEmpty();
        }
        assertThat(mlops("regsitry", "list").err()).contains("Did you mean: registry");
        assertThat(mlops("registry", "register").err()).contains("Try 'mlops registry register --help'");
    }

    @Test
    void aRootThatIsAFileIsAUsageErrorInWords() throws Exception {
        Path notAFolder = file("not-a-folder", "x");
        for (String[] args : new String[][] {{"registry", "list"}, {"registry", "register", "m", notAFolder.toString()},
            {"data", "commit", "d", notAFolder.toString()}}) {
            StringWriter err = new StringWriter();
            String[] all = new String[args.length + 2];
            all[0] = "--root";
            all[1] = notAFolder.toString();
            System.arraycopy(args, 0, all, 2, args.length);
            int code = MlopsCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), all);
            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).startsWith("mlops: --root " + notAFolder + " is a file, not a folder")
                    .doesNotContain("Exception").doesNotContain("java.");
        }
    }

    @Test
    void commandsThatOnlyReadNeverCreateTheStores() throws Exception {
        Path root = dir.resolve("root");
        for (String[] args : new String[][] {{"registry", "list"}, {"registry", "versions", "m"}, {"registry", "verify"},
            {"registry", "history", "m", "production"}, {"data", "log", "d"}, {"data", "verify"}}) {
            Run run = mlops(args);
            assertThat(run.code()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(3);
            assertThat(run.err()).startsWith("mlops: No ").contains(root.toString()).contains("--root");
            assertThat(root).as("after " + String.join(" ", args)).doesNotExist();
        }
        assertThat(mlops("registry", "register", "m", file("m.bin", "bytes").toString()).code()).isZero();
        assertThat(mlops("registry", "list").code()).isZero();
    }
}
