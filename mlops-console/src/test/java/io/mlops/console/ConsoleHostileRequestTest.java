package io.mlops.console;

import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests that Jetty answers itself get the console's own page with the same security
 * headers as every page: before, Jetty's default HTML error page came without the
 * Content-Security-Policy.
 */
class ConsoleHostileRequestTest {

    @TempDir
    static Path dir;
    static Console console;

    @BeforeAll
    static void start() {
        console = Console.builder().registry(ModelRegistry.fileSystem(dir.resolve("registry"))).port(0).build().start();
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    static String request(String kind) {
        return switch (kind) {
            case "bad-escape" -> "GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            case "encoded-dots" -> "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            case "encoded-slash" -> "GET /models/a%2fb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            case "encoded-nul" -> "GET /models/a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            case "huge-header" -> "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n";
            case "huge-uri" -> "GET /" + "a".repeat(1 << 20) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            case "garbage-line" -> "\u0001\u0002 garbage !!\r\n\r\n";
            case "bad-length" -> "POST /models HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n";
            case "bad-version" -> "GET / HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad-escape", "encoded-dots", "encoded-slash", "encoded-nul", "huge-header", "huge-uri",
        "garbage-line", "bad-length", "bad-version"})
    void malformedRequestsGetTheConsolesPageWithItsSecurityHeaders(String kind) throws IOException {
        String raw;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(console.uri().getHost(), console.port()), 5000);
            socket.setSoTimeout(30_000);
            try {
                socket.getOutputStream().write(request(kind).getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException closedEarly) {
                // the server may answer and close before the whole request is sent
            }
            raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(raw).startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(raw.split(" ")[1]);
        assertThat(status).as(raw).isBetween(400, 505);
        String head = raw.substring(0, Math.max(0, raw.indexOf("\r\n\r\n"))).toLowerCase(Locale.ROOT);
        assertThat(head).contains("content-security-policy: default-src 'none'").contains("x-content-type-options: nosniff")
                .contains("content-type: text/html").doesNotContain("server:");
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        assertThat(body).contains("<html").doesNotContain("Exception").doesNotContain("org.eclipse").doesNotContain("Jetty")
                .doesNotContain("Powered by");
    }
}
