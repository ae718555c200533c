package io.mlops.console;

import io.mlops.core.AccessTokens;
import io.mlops.registry.AliasMoveRequest;
import io.mlops.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles on the console: with a reader token every page needs a token (HTTP Basic's password or a
 * bearer token; a browser asks for it), a reader's token cannot move an alias or approve, a
 * deployer's and an admin's can; approvals of alias move requests from the console record the
 * person; no response ever echoes a token.
 */
class ConsoleRolesTest {

    static final String READER = "reader-token-0123456789";
    static final String DEPLOYER = "deployer-token-0123456789";
    static final String ADMIN = "admin-token-0123456789abc";

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    static String basic(String token) {
        return "Basic " + Base64.getEncoder().encodeToString(("anyone:" + token).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(Console c, String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(c.uri().resolve(path));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(Console c, String path, String auth, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(c.uri().resolve(path)).header("Authorization", auth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> form(String token, String actor, String version) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", token);
        f.put("actor", actor);
        if (version != null) {
            f.put("version", version);
        }
        return f;
    }

    static void noToken(HttpResponse<String> r) {
        assertThat(r.body()).doesNotContain(READER).doesNotContain(DEPLOYER).doesNotContain(ADMIN);
        assertThat(r.headers().map().toString()).doesNotContain(READER).doesNotContain(DEPLOYER).doesNotContain(ADMIN);
    }

    @Test
    void readersReadDeployersAndAdminsChange() throws Exception {
        ModelRegistry registry = ModelRegistry.builder().fileSystem(dir.resolve("registry")).protectAlias("production", 1).build();
        for (String v : new String[] {"1.0.0", "2.0.0"}) {
            registry.register("churn").version(v).artifact(v.getBytes()).save();
        }
        registry.setAlias("churn", "staging", "1.0.0");
        AccessTokens tokens = AccessTokens.builder().token(AccessTokens.Role.READER, READER)
                .token(AccessTokens.Role.DEPLOYER, DEPLOYER).token(AccessTokens.Role.ADMIN, ADMIN).build();
        assertThat(tokens.toString()).isEqualTo("AccessTokens[reader=1, deployer=1, admin=1]");
        try (Console c = Console.builder().registry(registry).tokens(tokens).port(0).build().start()) {
            for (String auth : new String[] {null, "Bearer wrong-token-wrong-token", basic("wrong-token-wrong"), "Basic !!!",
                    "Bearer ", "Digest x", "Bearer " + READER.substring(0, 20)}) {
                HttpResponse<String> denied = get(c, "/models/churn", auth);
                assertThat(denied.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
                assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic realm=");
                noToken(denied);
            }
            assertThat(get(c, "/models/churn", basic(READER)).statusCode()).isEqualTo(200);
            assertThat(get(c, "/models/churn", "Bearer " + READER).statusCode()).isEqualTo(200);
            assertThat(get(c, "/models/churn", basic(DEPLOYER)).statusCode()).isEqualTo(200);
            // on the same kept-alive connection, a token differing only in case is another token
            // (Jetty's header cache used to match it case-insensitively)
            assertThat(get(c, "/models/churn", "Bearer " + READER.toUpperCase(java.util.Locale.ROOT)).statusCode()).isEqualTo(401);
            assertThat(get(c, "/models/churn", basic(READER.toUpperCase(java.util.Locale.ROOT))).statusCode()).isEqualTo(401);

            // a reader's token in the form: refused; a deployer's: the alias moves
            String staging = "/models/churn/aliases/staging/move";
            HttpResponse<String> reader = post(c, staging, basic(READER), form(READER, "rita", "2.0.0"));
            assertThat(reader.statusCode()).isEqualTo(403);
            noToken(reader);
            assertThat(registry.byAlias("churn", "staging").orElseThrow().version()).isEqualTo("1.0.0");
            assertThat(post(c, staging, basic(READER), form(DEPLOYER, "dana", "2.0.0")).statusCode()).isEqualTo(303);
            assertThat(registry.byAlias("churn", "staging").orElseThrow().version()).isEqualTo("2.0.0");
            assertThat(post(c, "/models/churn/aliases/staging/rollback", basic(ADMIN), form(ADMIN, "ada", null)).statusCode())
                    .isEqualTo(303);
            assertThat(registry.byAlias("churn", "staging").orElseThrow().version()).isEqualTo("1.0.0");
            // without the page's token, nothing at all
            assertThat(post(c, staging, "Bearer nothing-nothing-nothing", form(DEPLOYER, "dana", "2.0.0")).statusCode())
                    .isEqualTo(401);

            // approvals from the console
            AliasMoveRequest r = registry.requestAliasMove("churn", "production", "2.0.0", "rita", "release");
            String page = get(c, "/models/churn", basic(READER)).body();
            assertThat(page).contains(r.id()).contains("Approve").contains("Reject");
            String approve = "/models/churn/requests/" + r.id() + "/approve";
            assertThat(post(c, approve, basic(READER), form(READER, "rita", null)).statusCode()).isEqualTo(403);
            HttpResponse<String> own = post(c, approve, basic(READER), form(DEPLOYER, "rita", null));
            assertThat(own.statusCode()).as("the requester cannot approve").isEqualTo(409);
            assertThat(own.body()).contains("cannot approve");
            assertThat(post(c, approve, basic(READER), form(DEPLOYER, "dana", null)).statusCode()).isEqualTo(303);
            assertThat(registry.byAlias("churn", "production").orElseThrow().version()).isEqualTo("2.0.0");
            assertThat(registry.aliasHistory("churn", "production").get(0).reason()).contains("approved by dana");
            assertThat(post(c, "/models/churn/requests/0123456789abcdef/reject", basic(READER), form(DEPLOYER, "dana", null))
                    .statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutAReaderTokenPagesAreOpenAndWithoutADeployerTokenReadOnly() throws Exception {
        ModelRegistry registry = ModelRegistry.fileSystem(dir.resolve("registry"));
        registry.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
        try (Console c = Console.builder().registry(registry).tokens(AccessTokens.builder()
                .token(AccessTokens.Role.READER, READER).build()).port(0).build().start()) {
            assertThat(get(c, "/models/churn", "Bearer " + READER).body()).contains("1.0.0");
            assertThat(post(c, "/models/churn/aliases/production/move", "Bearer " + READER, form(READER, "rita", "1.0.0"))
                    .statusCode()).isEqualTo(403);
        }
        try (Console c = Console.builder().registry(registry).port(0).build().start()) {
            assertThat(get(c, "/models/churn", null).statusCode()).isEqualTo(200);
        }
    }
}
