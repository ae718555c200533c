package io.mlops.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The built jar through the {@code bin/mlops} launcher, as a real process: output, exit codes, errors. */
class CliProcessIT {

    @TempDir
    Path dir;

    /** One run of bin/mlops: exit code and the merged output. */
    record Run(int code, String output) {
    }

    Run mlops(String... args) throws Exception {
        return mlopsWith(java.util.Map.of(), args);
    }

    Run mlopsWith(java.util.Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", Path.of("..", "bin", "mlops").toString(), "--root", dir.resolve("root").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    @Test
    void theLauncherRunsTheJar() throws Exception {
        assertThat(Path.of("target", "mlops.jar")).exists();
        Path model = Files.writeString(dir.resolve("model.bin"), "weights");
        Run registered = mlops("registry", "register", "churn", model.toString());
        assertThat(registered.code()).as(registered.output()).isZero();
        assertThat(registered.output()).startsWith("Registered churn 1.0.0");
        Run list = mlops("--json", "registry", "list");
        assertThat(list.output()).contains("\"model\" : \"churn\"");
        Run missing = mlops("registry", "show", "churn", "2.0.0");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.output()).isEqualTo("mlops: Model 'churn' version '2.0.0' not found\n");
        Path ref = Files.writeString(dir.resolve("ref.csv"), "c\na\na\nb\n");
        Path cur = Files.writeString(dir.resolve("cur.csv"), "c\nz\nz\nz\nz\nz\nz\n");
        assertThat(mlops("drift", ref.toString(), cur.toString()).code()).isEqualTo(1);
        Run version = mlops("--version");
        assertThat(version.code()).isZero();
        assertThat(version.output()).startsWith("mlops ");
    }

    /**
     * {@code --version} on {@code registry register} is the version to register: it used to be
     * picocli's version flag on every subcommand, which printed the program's version, registered
     * nothing and exited 0. No subcommand has a version flag now; {@code mlops --version} does.
     */
    @Test
    void registerTakesTheVersionUsersTypeAndNoSubcommandExitsZeroDoingNothing() throws Exception {
        Path model = Files.writeString(dir.resolve("m.onnx"), "weights");
        Run registered = mlops("registry", "register", "churn", model.toString(), "--version", "2.0.0");
        assertThat(registered.code()).as(registered.output()).isZero();
        assertThat(registered.output()).startsWith("Registered churn 2.0.0");
        assertThat(mlops("registry", "show", "churn", "2.0.0").code()).isZero();
        assertThat(mlops("registry", "register", "churn", model.toString(), "--model-version", "2.1.0").output())
                .startsWith("Registered churn 2.1.0");
        for (String[] args : new String[][] {{"registry", "list", "--version"}, {"registry", "list", "-V"},
            {"data", "log", "x", "--version"}, {"drift", "a.csv", "b.csv", "-V"}}) {
            Run run = mlops(args);
            assertThat(run.code()).as(String.join(" ", args) + ": " + run.output()).isEqualTo(2);
            assertThat(run.output()).startsWith("mlops: Unknown option");
        }
        assertThat(mlops("registry", "register", "--help").output()).contains("--version=VERSION")
                .doesNotContain("Print version information");
    }

    /** Exit codes say what happened: a refused change is the user's (4), an unknown model or dataset is not found (3). */
    @Test
    void exitCodesTellTheUsersErrorsFromNotFoundAndFromBugs() throws Exception {
        Path model = Files.writeString(dir.resolve("m.bin"), "weights");
        assertThat(mlops("registry", "register", "churn", model.toString()).code()).isZero();
        assertThat(mlops("registry", "alias", "churn", "production", "1.0.0").code()).isZero();
        Run inUse = mlops("registry", "delete", "churn", "1.0.0");
        assertThat(inUse.code()).as(inUse.output()).isEqualTo(4);
        assertThat(inUse.output().lines()).singleElement().asString().startsWith("mlops: ").contains("production")
                .doesNotContain("internal error");
        Run noModel = mlops("registry", "versions", "nosuchmodel");
        assertThat(noModel.code()).as(noModel.output()).isEqualTo(3);
        assertThat(noModel.output()).isEqualTo("mlops: No model 'nosuchmodel' in the registry\n");
        assertThat(mlops("registry", "history", "churn", "staging").code()).isEqualTo(3);
        assertThat(mlops("data", "commit", "train", model.toString()).code()).isZero();
        Run noData = mlops("data", "log", "nosuch");
        assertThat(noData.code()).as(noData.output()).isEqualTo(3);
        assertThat(noData.output()).isEqualTo("mlops: No dataset 'nosuch' in the data store\n");
    }

    /**
     * Reading a monitor in PostgreSQL creates nothing (it used to create the tables), and a database
     * is named by its URL with the password masked, not as {@code PGSimpleDataSource@694e1548}.
     */
    @Test
    void monitorCommandsOnPostgresReadWithoutCreatingAndNameTheDatabaseByItsMaskedUrl() throws Exception {
        java.util.Optional<io.mlops.test.TestDatabases.PostgresSchema> schema = io.mlops.test.TestDatabases.postgres("CliProcessIT");
        org.junit.jupiter.api.Assumptions.assumeTrue(schema.isPresent(), "PostgreSQL not reachable at 127.0.0.1:5432");
        try (io.mlops.test.TestDatabases.PostgresSchema s = schema.get()) {
            String url = s.jdbcUrl() + "&password=hunter2";
            Run metrics = mlops("monitor", "--jdbc", url, "metrics");
            assertThat(metrics.code()).as(metrics.output()).isEqualTo(3);
            assertThat(metrics.output()).startsWith("mlops: No monitor tables in").contains("password=***")
                    .doesNotContain("hunter2").doesNotContain("DataSource@");
            try (java.sql.Connection c = s.dataSource().getConnection();
                 java.sql.ResultSet tables = c.getMetaData().getTables(null, s.name(), "%", null)) {
                assertThat(tables.next()).as("a table was created").isFalse();
            }
        }
        Run unreachable = mlops("monitor", "--jdbc", "jdbc:postgresql://127.0.0.1:1/test?user=u&password=hunter2&connectTimeout=2",
                "metrics");
        assertThat(unreachable.code()).as(unreachable.output()).isEqualTo(5);
        assertThat(unreachable.output()).contains("jdbc:postgresql://127.0.0.1:1/test").contains("password=***")
                .doesNotContain("hunter2").doesNotContain("DataSource@");
    }

    /** A CSV that is not a table is said to be so at commit time; --as-table insists on a table. */
    @Test
    void dataCommitSaysWhetherACsvIsATable() throws Exception {
        Path good = Files.writeString(dir.resolve("good.csv"), "a,b\n1,x\n2,y\n");
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "a,b\n1,x\n2\n3,z,extra\n");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "a,b\n");
        Run file = mlops("data", "commit", "d", good.toString());
        assertThat(file.code()).as(file.output()).isZero();
        assertThat(file.output()).contains("readable as a table of 2 rows and 2 columns");
        Run bad = mlops("data", "commit", "d", ragged.toString());
        assertThat(bad.code()).as(bad.output()).isZero();
        assertThat(bad.output()).contains("NOT readable as a table").contains("--as-table");
        assertThat(mlops("data", "commit", "e", empty.toString()).output()).contains("a CSV with no rows, not a table");
        Run insisted = mlops("data", "commit", "d", ragged.toString(), "--as-table");
        assertThat(insisted.code()).as(insisted.output()).isEqualTo(4);
        assertThat(insisted.output()).startsWith("mlops: ");
        assertThat(mlops("data", "commit", "e", empty.toString(), "--as-table").code()).isEqualTo(4);
        Run table = mlops("data", "commit", "t", good.toString(), "--as-table");
        assertThat(table.code()).as(table.output()).isZero();
        assertThat(table.output()).contains("a table of 2 rows and 2 columns");
        // a diff of the ragged file names the version, not a temporary copy
        String raggedId = bad.output().split(" ")[2];
        String goodId = file.output().split(" ")[2];
        Run diff = mlops("data", "diff", goodId, raggedId);
        assertThat(diff.code()).as(diff.output()).isEqualTo(4);
        assertThat(diff.output()).contains("dataset version '" + raggedId + "'").doesNotContain("mlops-load-");
    }

    /**
     * The launcher gives quick commands the first JIT compiler only, work over data both compilers
     * and the serial collector, and the servers the JVM's defaults ({@code -XX:+PrintCommandLineFlags}
     * through JAVA_OPTS shows what the JVM was started with).
     */
    @Test
    void theLauncherPicksJvmOptionsByTheKindOfWork() throws Exception {
        java.util.Map<String, String> flags = java.util.Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        Run quick = mlopsWith(flags, "--json", "registry", "list");
        assertThat(quick.output()).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        Path ref = Files.writeString(dir.resolve("ref.csv"), "c\na\na\nb\n");
        Run drift = mlopsWith(flags, "--no-progress", "drift", ref.toString(), ref.toString());
        assertThat(drift.code()).as(drift.output()).isZero();
        assertThat(drift.output()).contains("-XX:+UseSerialGC").doesNotContain("TieredStopAtLevel");
        Run commit = mlopsWith(flags, "data", "commit", "train", ref.toString());
        assertThat(commit.output()).contains("-XX:+UseSerialGC").doesNotContain("TieredStopAtLevel");
        Run log = mlopsWith(flags, "data", "log", "train");
        assertThat(log.output()).contains("-XX:TieredStopAtLevel=1");
        Run serve = mlopsWith(flags, "--config", dir.resolve("none.json").toString(), "serve", "--help");
        assertThat(serve.output()).doesNotContain("TieredStopAtLevel").doesNotContain("-XX:+UseSerialGC");
    }

    /** Starts a long-running command, waits for its first line, and returns the process and that line. */
    record Started(Process process, String firstLine, Path log) {
        /** Everything the process printed (its output goes to a file, so what it prints while stopping is kept). */
        String remaining() throws java.io.IOException {
            return Files.readString(log);
        }
    }

    Started start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", Path.of("..", "bin", "mlops").toString(), "--root", dir.resolve("root").toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "process-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            java.util.Optional<String> line = Files.readAllLines(log).stream().filter(l -> l.contains("http://")).findFirst();
            if (line.isPresent()) {
                return new Started(p, line.get(), log); // the server's own log lines may come first
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        return new Started(p, null, log);
    }

    static int get(String line, String path) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(http://\\S+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(m.group(1)).resolve(path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void everyCommandGroupRunsAsAProcess() throws Exception {
        Path csv = Files.writeString(dir.resolve("train.csv"), "x,y\n1,a\n2,b\n3,a\n");
        Run committed = mlops("data", "commit", "train", csv.toString());
        assertThat(committed.code()).as(committed.output()).isZero();
        assertThat(mlops("data", "log", "train").output()).contains("train_");
        Run profiled = mlops("drift", "profile", csv.toString(), "--out", dir.resolve("p.json").toString());
        assertThat(profiled.code()).as(profiled.output()).isZero();
        assertThat(mlops("monitor", "--db", dir.resolve("none.db").toString(), "metrics").code()).isEqualTo(3);
        Run bundle = mlops("bundle", "--service", "churn-api", "--jar", "churn-api.jar", "--main", "com.example.Main",
                "--out", dir.resolve("deploy").toString());
        assertThat(bundle.code()).as(bundle.output()).isZero();
        assertThat(dir.resolve("deploy/Dockerfile")).exists();

        Path onnx = Path.of("..", "mlops-onnx", "src", "test", "resources", "models", "iris_logreg.onnx").toAbsolutePath();
        assertThat(mlops("registry", "register", "iris", onnx.toString(), "--tag", "format=onnx").code()).isZero();
        assertThat(mlops("registry", "alias", "iris", "production", "1.0.0").code()).isZero();
        Started serve = start("serve", "--model", "iris", "--port", "0");
        try {
            assertThat(serve.firstLine()).startsWith("Serving iris 1.0.0");
            assertThat(get(serve.firstLine(), "/health")).isEqualTo(200);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(http://\\S+)").matcher(serve.firstLine());
            assertThat(m.find()).isTrue();
            assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(m.group(1)).resolve("/predict")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } finally {
            serve.process().destroy(); // SIGTERM: the monitor flushes before the process ends
            assertThat(serve.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(serve.remaining()).as("what stopping the server printed").doesNotContain("Exception");
        Run logged = mlops("--json", "monitor", "metrics", "--window", "PT2H");
        assertThat(logged.output()).contains("\"requests\" : 1");
        assertThat(mlops("--json", "monitor", "metrics", "--window", "2h").output()).as("a window as people write it")
                .contains("\"requests\" : 1");
        assertThat(mlops("monitor", "metrics", "--window", "2 hours").output()).startsWith("mlops: ").contains("not a duration");
        // the input profile is saved on close (else once a minute): present only if SIGTERM closed the monitor
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("root/monitor.db"));
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM input_profiles")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("input profiles saved when SIGTERM closed the monitor").isEqualTo(1);
        }
        Started console = start("console", "--port", "0");
        try {
            assertThat(console.firstLine()).startsWith("Console on ");
            assertThat(get(console.firstLine(), "/models/iris")).isEqualTo(200);
        } finally {
            console.process().destroy();
            assertThat(console.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(console.remaining()).as("what stopping the console printed").doesNotContain("Exception");
        assertThat(console.firstLine()).contains("read-only: set MLOPS_CONSOLE_TOKEN");
    }
}
