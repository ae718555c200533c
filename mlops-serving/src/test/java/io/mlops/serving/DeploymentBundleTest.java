package io.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentBundleTest {

    @TempDir
    Path dir;

    DeploymentBundle bundle() {
        return DeploymentBundle.forServer("churn-api").jar("churn-api.jar").mainClass("com.example.ChurnApi").port(9090)
                .memory("768m").cpus(1.5);
    }

    @Test
    void writesTheFourFilesFromOneSetOfValues() throws Exception {
        assertThat(bundle().writeTo(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("Dockerfile", "docker-compose.yml", "nginx.conf", "run.sh");
        String dockerfile = Files.readString(dir.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre").contains("USER app").contains("EXPOSE 9090")
                .contains("COPY churn-api.jar /app/app.jar")
                .contains("HEALTHCHECK").contains("io.mlops.serving.HealthCheck\", \"http://127.0.0.1:9090/health\"")
                .contains("com.example.ChurnApi").doesNotContain("${");
        assertThat(dockerfile.indexOf("USER app")).isLessThan(dockerfile.indexOf("ENTRYPOINT"));
        assertThat(Files.isExecutable(dir.resolve("run.sh"))).isTrue();
        assertThat(Files.readString(dir.resolve("run.sh"))).startsWith("#!/bin/sh").contains("docker compose up --build -d");
    }

    @Test
    void composeIsValidYamlWithLimitsRestartAndAHealthGate() throws Exception {
        bundle().writeTo(dir);
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(dir.resolve("docker-compose.yml").toFile());
        JsonNode api = compose.at("/services/churn-api");
        assertThat(api.get("restart").asText()).isEqualTo("unless-stopped");
        assertThat(api.at("/deploy/resources/limits/cpus").asText()).isEqualTo("1.5");
        assertThat(api.at("/deploy/resources/limits/memory").asText()).isEqualTo("768m");
        assertThat(api.at("/expose/0").asText()).isEqualTo("9090");
        assertThat(compose.at("/services/nginx/depends_on/churn-api/condition").asText()).isEqualTo("service_healthy");
        assertThat(compose.at("/services/nginx/ports/0").asText()).isEqualTo("80:80");
    }

    @Test
    void theContainerBindsAllInterfacesOnItsPortSoTheProxyReachesIt() throws Exception {
        bundle().writeTo(dir);
        assertThat(Files.readString(dir.resolve("Dockerfile"))).contains("ENV MLOPS_SERVER_HOST=0.0.0.0 MLOPS_SERVER_PORT=9090");
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(dir.resolve("docker-compose.yml").toFile());
        assertThat(compose.at("/services/churn-api/environment/MLOPS_SERVER_HOST").asText()).isEqualTo("0.0.0.0");
        assertThat(compose.at("/services/churn-api/environment/MLOPS_SERVER_PORT").asText()).isEqualTo("9090");
        // and a server built without host() or port() follows them (the variables' system-property twins here):
        // reachable on the machine's other address, which a server on 127.0.0.1 is not
        String external = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).map(java.net.InetAddress::getHostAddress)
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(external != null, "no non-loopback IPv4 address to test the binding on");
        System.setProperty("mlops.server.host", "0.0.0.0");
        System.setProperty("mlops.server.port", "0");
        try (ModelServer server = ModelServer.builder().predictor(f -> Prediction.of(1)).build().start()) {
            assertThat(reachable(external, server.port())).as("reached on %s", external).isTrue();
        } finally {
            System.clearProperty("mlops.server.host");
            System.clearProperty("mlops.server.port");
        }
        try (ModelServer server = ModelServer.builder().predictor(f -> Prediction.of(1)).port(0).build().start()) {
            assertThat(reachable(external, server.port())).as("the default binds loopback only").isFalse();
        }
    }

    private static boolean reachable(String host, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 2000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void nginxConfigIsBalancedAndProxiesToTheUpstream() throws Exception {
        bundle().writeTo(dir);
        String nginx = Files.readString(dir.resolve("nginx.conf"));
        assertThat(nginx).contains("upstream churn-api_backend").contains("server churn-api:9090;")
                .contains("location = /health").contains("proxy_pass http://churn-api_backend;")
                .contains("client_max_body_size 1m;");
        long open = nginx.chars().filter(c -> c == '{').count();
        long close = nginx.chars().filter(c -> c == '}').count();
        assertThat(open).isEqualTo(close);
        for (String line : nginx.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#") && !t.endsWith("{") && !t.equals("}")) {
                assertThat(t).as("directive ends with ;").endsWith(";");
            }
        }
    }

    @Test
    void badValuesAreRejected() {
        assertThatThrownBy(() -> DeploymentBundle.forServer("../x")).isInstanceOf(io.mlops.core.ValidationException.class);
        assertThatThrownBy(() -> bundle().memory("lots")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bundle().mainClass("not a class")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeploymentBundle.forServer("x").render()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("jar");
        assertThat(bundle().render()).containsKeys("Dockerfile", "docker-compose.yml", "nginx.conf", "run.sh");
        Map<String, String> files = bundle().javaOptions("-Xmx512m").render();
        assertThat(files.get("Dockerfile")).contains("JAVA_OPTS=\"-Xmx512m\"");
    }

    /** What Docker makes of a double-quoted ENV value: backslash escapes. */
    static String dockerUnquote(String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                c = quoted.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    @Test
    void aNestedMainClassAndAwkwardOptionsReachTheJvmAsWritten() throws Exception {
        String options = "-Dpath=C:\\dir\\ -Dhome=$HOME -Dglob=* -Xmx512m\\";
        Map<String, String> files = bundle().mainClass("app.Outer$Main").javaOptions(options).render();
        // the compose file is valid YAML, and compose's $$ stands for $
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(files.get("docker-compose.yml"));
        assertThat(compose.at("/services/churn-api/environment/JAVA_OPTS").asText().replace("$$", "$")).isEqualTo(options);
        // the Dockerfile's ENV gives back the options
        String dockerfile = files.get("Dockerfile");
        String env = dockerfile.lines().filter(l -> l.startsWith("ENV JAVA_OPTS=")).findFirst().orElseThrow();
        String value = dockerUnquote(env.substring("ENV JAVA_OPTS=\"".length(), env.length() - 1));
        assertThat(value).isEqualTo(options);
        // the ENTRYPOINT is a JSON array; run it with a stand-in java that prints its arguments
        String entry = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        JsonNode argv = new ObjectMapper().readTree(entry.substring("ENTRYPOINT ".length()));
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        fakeJava.toFile().setExecutable(true);
        Files.writeString(dir.resolve("x-matches-the-glob"), "");
        ProcessBuilder pb = new ProcessBuilder(argv.get(0).asText(), argv.get(1).asText(), argv.get(2).asText(),
                argv.get(3).asText(), "--port", "9090").directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA_OPTS", value);
        pb.environment().put("HOME", "/home/app");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out.lines().toList()).containsExactly("-Dpath=C:\\dir\\", "-Dhome=$HOME", "-Dglob=*", "-Xmx512m\\", "-cp",
                "/app/app.jar", "app.Outer$Main", "--port", "9090");
    }
}
