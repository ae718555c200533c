package io.mlops.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console over HTTP: every page reachable from the overview answers 200 with no broken link,
 * no reference to another host, every user-provided string escaped and no stack trace; writes
 * need the token; errors are pages.
 */
class ConsoleTest {

    static final String TOKEN = "a-console-token-of-32-characters";
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;
    static Console readOnly;
    static Console writable;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        fixture = new ConsoleFixture(dir);
        readOnly = Console.builder().registry(fixture.registry).data(fixture.data).monitor(fixture.monitor)
                .driftReference(fixture.reference).port(0).build().start();
        writable = Console.builder().registry(fixture.registry).data(fixture.data).monitor(fixture.monitor)
                .port(0).token(TOKEN).build().start();
    }

    @AfterAll
    static void stop() {
        readOnly.close();
        writable.close();
        fixture.close();
    }

    HttpResponse<String> get(Console console, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(console.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(Console console, String path, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(console.uri().resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void clean(String path, HttpResponse<String> r) {
        String body = r.body();
        assertThat(body).as(path).doesNotContain("<script").doesNotContain("Exception").doesNotContain("at io.mlops.");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
        Matcher refs = Pattern.compile("(?:href|src|action)=\"([^\"]*)\"").matcher(body);
        while (refs.find()) {
            String ref = refs.group(1);
            assertThat(ref).as("%s refers only to this console: %s", path, ref).matches("^(/[^/].*|/|#.*)$");
        }
    }

    @Test
    void everyPageReachableFromTheOverviewAnswersAndEscapesWhatUsersWrote() throws Exception {
        Map<String, Integer> seen = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add("/");
        while (!todo.isEmpty() && seen.size() < 300) {
            String path = todo.poll();
            if (seen.containsKey(path)) {
                continue;
            }
            HttpResponse<String> r = get(readOnly, path);
            seen.put(path, r.statusCode());
            assertThat(r.statusCode()).as("GET %s (a link on the console)", path).isEqualTo(200);
            clean(path, r);
            Matcher links = Pattern.compile("href=\"(/[^\"]*)\"").matcher(r.body());
            while (links.find()) {
                String link = links.group(1).replace("&amp;", "&");
                if (!seen.containsKey(link)) {
                    todo.add(link);
                }
            }
        }
        assertThat(seen).containsKeys("/models", "/models/churn", "/models/churn/versions/1.1.0", "/models/churn/versions/1.1.0/card", "/models/churn/aliases/production",
                "/datasets", "/datasets/customers", "/datasets/customers/versions/" + fixture.features.id(), "/monitor", "/alerts",
                "/drift");
        String version = get(readOnly, "/models/churn/versions/1.0.0").body();
        assertThat(version).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertThat(get(readOnly, "/models/churn/aliases/production").body()).contains("better recall &lt;script&gt;")
                .contains("Read-only").doesNotContain("<form");
        assertThat(get(readOnly, "/datasets/customers").body()).contains("raw export &lt;script&gt;");
        String diff = get(readOnly, "/datasets/customers/diff?a=" + fixture.raw.id() + "&b=" + fixture.features.id()).body();
        assertThat(diff).contains("rows 200 &rarr; 180").contains("tenure");
        String rows = get(readOnly, "/datasets/customers/diff?a=" + fixture.raw.id() + "&b=" + fixture.raw.id() + "&key=tenure").body();
        assertThat(rows).contains("on tenure: rows 200 &rarr; 200").contains("<td>0</td><td>0</td><td>0</td><td>200</td><td>0</td>");
        String others = get(readOnly, "/datasets/customers/diff?a=" + fixture.raw.id() + "&b=" + fixture.features.id() + "&key=tenure").body();
        assertThat(others).contains("<td>180</td><td>200</td><td>0</td><td>0</td>");
        String lineage = get(readOnly, "/datasets/customers/versions/" + fixture.cleaned.id()).body();
        assertThat(lineage).contains(fixture.raw.id()).contains(fixture.features.id()).contains("class=\"edge\"");
        String dashboard = get(readOnly, "/monitor").body();
        assertThat(Pattern.compile("<svg class=\"chart-svg\"").matcher(dashboard).results().count()).isEqualTo(6);
        assertThat(dashboard).contains("1.1.0").contains("2.0.0").contains("error_rate above 0.05");
        assertThat(get(readOnly, "/drift").body()).contains("tenure");
    }

    @Test
    void aModelsPageListsItsAliasMovesAwaitingApproval() throws Exception {
        io.mlops.registry.ModelRegistry guarded = io.mlops.registry.ModelRegistry.builder()
                .fileSystem(dir.resolve("registry")).protectAlias("production", 2).build();
        io.mlops.registry.AliasMoveRequest r = guarded.requestAliasMove("churn", "production", "2.0.0", "ana <i>",
                "ship it " + ConsoleFixture.HOSTILE);
        guarded.approve(r.id(), "bo");
        HttpResponse<String> page = get(readOnly, "/models/churn");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Alias moves awaiting approval").contains(r.id()).contains("ana &lt;i&gt;")
                .contains(">bo<").doesNotContain("<i>");
        clean("/models/churn", page);
        guarded.reject(r.id(), "cy", null);
        assertThat(get(readOnly, "/models/churn").body()).doesNotContain("awaiting approval");
        // a console whose registry protects the alias refuses the direct move with the reason, not an error page
        try (Console protectedConsole = Console.builder().registry(guarded).port(0).token(TOKEN).build().start()) {
            HttpResponse<String> refused = post(protectedConsole, "/models/churn/aliases/production/move", Map.of("token", TOKEN,
                    "actor", "alice", "version", "2.0.0"));
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("is protected");
            clean("/models/churn/aliases/production/move", refused);
        }
        assertThat(fixture.registry.byAlias("churn", "production").orElseThrow().version()).isEqualTo("1.1.0");
    }

    @Test
    void errorsArePagesWithoutStackTraces() throws Exception {
        for (String path : new String[] {"/models/nope", "/models/churn/versions/9.9.9", "/models/churn/aliases/nope",
                "/datasets/nope", "/datasets/customers/versions/customers_0000000000000000", "/nowhere",
                "/models/%3Cscript%3E", "/datasets/customers/diff?a=x",
                "/datasets/customers/diff?a=" + fixture.raw.id() + "&b=" + fixture.features.id() + "&key=no_such_column",
                "/datasets/customers/diff?a=" + fixture.raw.id() + "&b=" + fixture.features.id() + "&key=" + "k,".repeat(1200)}) {
            HttpResponse<String> r = get(readOnly, path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            clean(path, r);
        }
        assertThat(get(readOnly, "/models/%3Cscript%3E").body()).contains("&lt;script&gt;");
        assertThat(http.send(HttpRequest.newBuilder(readOnly.uri().resolve("/models")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    @Test
    void aliasMovesAndRollbacksNeedTheTokenAndRecordWhoAndWhy() throws Exception {
        String alias = "/models/churn/aliases/staging";
        assertThat(post(readOnly, alias + "/rollback", Map.of("token", TOKEN, "actor", "mallory")).statusCode()).isEqualTo(403);
        assertThat(post(writable, alias + "/rollback", Map.of("token", "wrong-token-wrong-token", "actor", "mallory")).statusCode())
                .isEqualTo(403);
        assertThat(post(writable, alias + "/move", Map.of("token", TOKEN, "actor", "", "version", "1.0.0")).statusCode())
                .isEqualTo(400);
        assertThat(fixture.registry.byAlias("churn", "staging").orElseThrow().version()).isEqualTo("2.0.0");

        HttpResponse<String> moved = post(writable, alias + "/move", Map.of("token", TOKEN, "actor", "alice", "version", "1.0.0",
                "reason", "2.0.0 times out <b>"));
        assertThat(moved.statusCode()).isEqualTo(303);
        assertThat(moved.headers().firstValue("Location").orElseThrow()).isEqualTo(alias);
        assertThat(fixture.registry.byAlias("churn", "staging").orElseThrow().version()).isEqualTo("1.0.0");
        assertThat(fixture.registry.aliasHistory("churn", "staging").get(1).reason()).isEqualTo("console, by alice: 2.0.0 times out <b>");
        assertThat(get(writable, alias).body()).contains("console, by alice: 2.0.0 times out &lt;b&gt;").contains("<form");

        assertThat(post(writable, alias + "/rollback", Map.of("token", TOKEN, "actor", "bob")).statusCode()).isEqualTo(303);
        assertThat(fixture.registry.byAlias("churn", "staging").orElseThrow().version()).isEqualTo("2.0.0");
        assertThat(fixture.registry.aliasHistory("churn", "staging").get(2).reason()).isEqualTo("rollback console, by bob");
        HttpResponse<String> unknown = post(writable, alias + "/move", Map.of("token", TOKEN, "actor", "bob", "version", "7.0.0"));
        assertThat(unknown.statusCode()).isEqualTo(409);
        clean("move to 7.0.0", unknown);
    }

    @Test
    void theBuilderRefusesWhatCannotWork() {
        assertThatThrownBy(() -> Console.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Console.builder().token("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Console.builder().port(70_000)).isInstanceOf(IllegalArgumentException.class);
        try (Console c = Console.builder().registry(fixture.registry).port(0).build().start()) {
            assertThat(c.uri()).isEqualTo(URI.create("http://127.0.0.1:" + c.port() + "/"));
        }
    }
}
