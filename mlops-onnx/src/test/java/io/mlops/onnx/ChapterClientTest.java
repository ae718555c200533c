package io.mlops.onnx;

import io.mlops.serving.ModelServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chapter's own Python client ({@code src/test/python/chapter_client.py}: its requests, with
 * our URL) against a server of the chapter's model in ONNX form: every field the chapter's API
 * returns is there. Needs {@code /usr/bin/python3} with Debian's python3-requests ({@code .ci/run}
 * installs it); says SKIPPED with the reason where they are absent.
 */
class ChapterClientTest {

    @Test
    void theChaptersClientRunsUnchangedAgainstOurServer() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        String missing = null;
        if (!Files.isExecutable(python)) {
            missing = "no /usr/bin/python3";
        } else {
            Process probe = new ProcessBuilder(python.toString(), "-c", "import requests").redirectErrorStream(true).start();
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                missing = "python3-requests is not installed";
            }
        }
        if (missing != null) {
            System.out.println("SKIPPED ChapterClientTest: " + missing + " (apt-get install python3-requests)");
        }
        Assumptions.assumeTrue(missing == null, missing);
        try (OnnxModel model = OnnxModel.load(OnnxModelTest.MODELS.resolve("chapter_forest.onnx"));
             ModelServer server = ModelServer.builder().predictor(model).modelName("chapter").modelVersion("2.0.0")
                     .info("model.version", "2.0.0").port(0).build().start()) {
            Process client = new ProcessBuilder(python.toString(), "src/test/python/chapter_client.py", server.uri().toString())
                    .redirectErrorStream(true).start();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as(output).isZero();
            assertThat(output).contains("chapter client: every field present").contains("Single prediction response:");
        }
    }
}
