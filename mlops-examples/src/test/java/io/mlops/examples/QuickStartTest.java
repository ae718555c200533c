package io.mlops.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class QuickStartTest {

    @TempDir
    Path dir;

    @Test
    void quickStartRuns() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model\": {\"version\": \"2.0.0\"}}");
        assertThat(QuickStart.run(dir)).hasSize(64);
    }

    @Test
    void quickStartRunsWithoutAConfigFile() throws Exception {
        assertThat(QuickStart.run(dir)).hasSize(64);
        assertThat(dir.resolve("config.json")).doesNotExist();
    }

    @Test
    void readmeShowsTheSameCodeAsQuickStart() throws Exception {
        Path readme = Path.of("..", "README.md");
        String source = Files.readString(Path.of("src/main/java/io/mlops/examples/QuickStart.java"));
        Matcher m = Pattern.compile("// README quick start: begin\\n(.*?)\\n\\s*// README quick start: end", Pattern.DOTALL)
                .matcher(source);
        assertThat(m.find()).isTrue();
        String readmeText = Files.readString(readme);
        for (String line : m.group(1).split("\\n")) {
            assertThat(readmeText).as("README line").contains(line.strip());
        }
    }
}
