package io.mlops.spark;

import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import io.mlops.spark.internal.TemporaryCommit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process killed while it commits DataFrames (Spark writing, or the versioning storing) leaves
 * the versioning whole — every version it reported saved is there and verifies, nothing half-stored
 * is listed — and its temporary folder is removed by the next commit on the machine.
 */
class SparkCommitKillTest {

    @TempDir
    Path dir;

    /** Child JVM: commits DataFrames into a versioning forever, printing each saved version's id. */
    public static final class CommitForever {
        public static void main(String[] args) throws Exception {
            SparkSession spark = LocalSpark.start("mlops-spark-kill-child");
            DataVersioning data = DataVersioning.fileSystem(Path.of(args[0]));
            for (int i = 0; ; i++) {
                DatasetVersion v = SparkData.commit(data, "events", spark.range(0, 300_000 + i, 1, 4)
                        .select(col("id"), col("id").multiply(0.5).as("amount"))).save();
                System.out.println("SAVED " + v.id());
            }
        }
    }

    @Test
    void aKilledCommitterLeavesTheVersioningWholeAndItsFolderIsSwept() throws Exception {
        Path repo = dir.resolve("repo");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
        command.addAll(List.of("-Xmx512m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                CommitForever.class.getName(), repo.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> saved = new CopyOnWriteArrayList<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("SAVED ")) {
                        saved.add(line.substring(6));
                    }
                }
            } catch (java.io.IOException e) {
                // the child died
            }
        });
        pump.setDaemon(true);
        pump.start();
        try {
            io.mlops.core.testkit.Eventually.await("a first version saved", java.time.Duration.ofSeconds(180), () -> {
                assertThat(child.isAlive()).as("the child runs").isTrue();
                return !saved.isEmpty();
            });
            Thread.sleep(new Random(42).nextInt(1_500)); // somewhere in the next commits: writing or storing
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        pump.join(10_000);

        DataVersioning data = DataVersioning.fileSystem(repo);
        assertThat(data.verify()).as("problems after the kill").isEmpty();
        assertThat(data.versions("events")).extracting(DatasetVersion::id).containsAll(saved);
        for (DatasetVersion v : data.versions("events")) {
            assertThat(v.rowCount()).as("a whole version").isPresent();
        }

        Path live = Files.createDirectories(tmp.resolve(TemporaryCommit.PREFIX + ProcessHandle.current().pid() + "-live"));
        Path other = Files.createDirectories(tmp.resolve(TemporaryCommit.PREFIX + "not-a-pid"));
        Files.createDirectories(tmp.resolve(TemporaryCommit.PREFIX + child.pid() + "-another"));
        // the child's own folder is there when it was killed inside a commit, not between two
        assertThat(TemporaryCommit.sweep(tmp)).as("folders of dead processes removed").isBetween(1, 2);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith(TemporaryCommit.PREFIX)).toList())
                    .as("only the live process's folder and a stranger's remain")
                    .containsExactlyInAnyOrder(live, other);
        }
    }
}
