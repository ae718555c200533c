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
        List<String> command = new ArrayList<>(List.of("sh", Path.of("..", "bin", "mlops").toString(), "--root", dir.resolve("root").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
}
