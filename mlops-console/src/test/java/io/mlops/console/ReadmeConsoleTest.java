package io.mlops.console;

import io.mlops.data.DataVersioning;
import io.mlops.drift.ReferenceProfile;
import io.mlops.monitor.ModelMonitor;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's console block runs as shown. */
class ReadmeConsoleTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeConsoleBlockRuns() throws Exception {
        try (ConsoleFixture fixture = new ConsoleFixture(dir)) {
            ModelRegistry registry = fixture.registry;
            DataVersioning data = fixture.data;
            ModelMonitor monitor = fixture.monitor;
            ReferenceProfile profile = fixture.reference;
            String consoleToken = ConsoleTest.TOKEN;
            int status;
            // README console: begin
            try (Console console = Console.builder().registry(registry).data(data).monitor(monitor)
                    .driftReference(profile)              // optional: the drift page compares the logged inputs with it
                    .token(consoleToken)                  // optional: without it the console is read-only
                    .port(0).build().start()) {
                // README console: end
                status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(console.uri().resolve("/drift")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            assertThat(status).isEqualTo(200);
        }
        io.mlops.core.testkit.ReadmeBlocks.assertShown(Path.of("src/test/java/io/mlops/console/ReadmeConsoleTest.java"), "console");
    }
}
