package io.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Webhooks: events are POSTed with a valid HMAC that receivers check (a changed body or an old
 * timestamp fails), only the subscribed types; a receiver answering 500 or hanging is retried with
 * back-off, then the event is a dead letter that can be replayed; a receiver down for a while gets
 * everything, in order, when it comes back; and a child JVM killed between an event's commit and
 * its delivery leaves it to be delivered exactly once after a restart. The receiver is Jetty on
 * loopback, checking every signature.
 */
class WebhooksTest {

    static final String SECRET = "a-webhook-secret-of-32-bytes-min!";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    org.eclipse.jetty.server.Server server;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> byId = new ConcurrentHashMap<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger hangs = new AtomicInteger();
    final AtomicInteger badSignatures = new AtomicInteger();

    /** Starts the receiver (Jetty on loopback) on a port (0: any); it checks every signature. */
    URI receiver(int port) throws Exception {
        server = new org.eclipse.jetty.server.Server();
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) throws Exception {
                byte[] body = org.eclipse.jetty.io.Content.Source.asInputStream(request).readAllBytes();
                String sig = request.getHeaders().get(Webhooks.SIGNATURE_HEADER);
                int status;
                if (!Webhooks.verify(SECRET.getBytes(StandardCharsets.UTF_8), sig, body, Instant.now(), Duration.ofMinutes(5))) {
                    badSignatures.incrementAndGet();
                    status = 401;
                } else if (hangs.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    Thread.sleep(5_000); // the sender gave up long before: this answer counts for nothing
                    status = 503;
                } else if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    status = 500;
                } else {
                    received.add(JSON.readTree(body));
                    byId.computeIfAbsent(request.getHeaders().get(Webhooks.ID_HEADER), k -> new AtomicInteger()).incrementAndGet();
                    status = 204;
                }
                response.setStatus(status);
                callback.succeeded();
                return true;
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/hook");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    static void eventually(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        io.mlops.core.testkit.Eventually.await(what, Duration.ofSeconds(60), condition);
    }

    @Test
    void subscribedEventsArriveSignedAndInOrder() throws Exception {
        URI target = receiver(0);
        ModelRegistry r = ModelRegistry.fileSystem(dir);
        r.register("churn").version("0.9.0").artifact(new byte[] {0}).save(); // before the subscription: not sent
        try (Webhooks hooks = r.webhooks()) {
            Webhooks.Subscription sub = hooks.subscribe(target, SECRET.getBytes(StandardCharsets.UTF_8),
                    RegistryEvent.Type.REGISTERED, RegistryEvent.Type.ALIAS_MOVED);
            assertThat(sub.name()).matches("hook-[0-9a-f]{16}");
            r.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
            r.setAlias("churn", "production", "1.0.0", "first");
            r.sign("churn", "1.0.0", ModelSigner.ed25519(SigningTest.keys().getPrivate(), "k")); // not subscribed
            r.register("churn").version("1.1.0").artifact(new byte[] {2}).save();
            eventually("three events", () -> received.size() == 3);
            assertThat(received).extracting(n -> n.get("type").asText() + " " + n.get("version").asText())
                    .containsExactly("REGISTERED 1.0.0", "ALIAS_MOVED 1.0.0", "REGISTERED 1.1.0");
            assertThat(received.get(1).get("reason").asText()).isEqualTo("first");
            assertThat(badSignatures.get()).isZero();
            assertThat(hooks.deliveries(sub.name())).hasSize(3).allSatisfy(d -> assertThat(d.status()).isEqualTo(204));
        }
        // a receiver's check: another body, an old timestamp, another secret fail
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String good = io.mlops.registry.internal.WebhookSignaturesAccess.sign(SECRET.getBytes(StandardCharsets.UTF_8), now, body);
        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
        assertThat(Webhooks.verify(key, good, body, Instant.now(), Duration.ofMinutes(5))).isTrue();
        assertThat(Webhooks.verify(key, good, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), Instant.now(), Duration.ofMinutes(5))).isFalse();
        assertThat(Webhooks.verify(key, good, body, Instant.now().plus(Duration.ofMinutes(6)), Duration.ofMinutes(5))).isFalse();
        assertThat(Webhooks.verify("another-secret-of-32-bytes-min!!!".getBytes(StandardCharsets.UTF_8), good, body, Instant.now(),
                Duration.ofMinutes(5))).isFalse();
        for (String bad : new String[] {null, "", "t=abc,v1=00", "v1=" + "0".repeat(64), "t=1", "x".repeat(1_000)}) {
            assertThat(Webhooks.verify(key, bad, body, Instant.now(), Duration.ofMinutes(5))).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void failingAndHangingReceiversAreRetriedThenSetAsideAndReplayed() throws Exception {
        URI target = receiver(0);
        ModelRegistry r = ModelRegistry.fileSystem(dir);
        try (Webhooks hooks = r.webhooks().timing(Duration.ofMillis(20), Duration.ofMillis(500))) {
            hooks.subscribe("ci", target, SECRET.getBytes(StandardCharsets.UTF_8), RegistryEvent.Type.REGISTERED);
            failuresLeft.set(2);
            hangs.set(1);
            r.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
            eventually("delivered after a hang and two 500s", () -> received.size() == 1);
            assertThat(hooks.deliveries("ci")).extracting(Webhooks.Delivery::attempt).containsExactly(1, 2, 3, 4);
            // six failures in a row: a dead letter, and the next event is not held up by it
            failuresLeft.set(6);
            r.register("churn").version("2.0.0").artifact(new byte[] {2}).save();
            eventually("a dead letter", () -> hooks.deadLetters("ci").size() == 1);
            r.register("churn").version("3.0.0").artifact(new byte[] {3}).save();
            eventually("the next event", () -> received.size() == 2);
            assertThat(received.get(1).get("version").asText()).isEqualTo("3.0.0");
            assertThat(hooks.replayDeadLetters("ci")).isEqualTo(1);
            assertThat(received.get(2).get("version").asText()).isEqualTo("2.0.0");
            assertThat(hooks.deadLetters("ci")).isEmpty();
        }
    }

    @Test
    void aKilledWriterAndADownReceiverLoseNothingAndDeliverOnce() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free now: the receiver is down while the child runs
        }
        URI target = URI.create("http://127.0.0.1:" + port + "/hook");
        for (String version : new String[] {"1.0.0", "2.0.0"}) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), WebhookChild.class.getName(), dir.toString(), target.toString(), version)
                    .redirectErrorStream(true).start();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(out).isEqualTo(137);
            assertThat(out).contains("committed");
        }
        receiver(port); // back up
        ModelRegistry r = ModelRegistry.fileSystem(dir);
        try (Webhooks hooks = r.webhooks()) {
            hooks.subscribe("ci", target, SECRET.getBytes(StandardCharsets.UTF_8), RegistryEvent.Type.REGISTERED);
            eventually("both killed writers' events", () -> received.size() >= 2);
            hooks.deliverNow();
            Thread.sleep(1_500); // a second background pass too
        }
        assertThat(received).extracting(n -> n.get("version").asText()).containsExactly("1.0.0", "2.0.0");
        assertThat(byId.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        // a new registry process on the same store: nothing is sent again
        ModelRegistry again = ModelRegistry.fileSystem(dir);
        try (Webhooks hooks = again.webhooks()) {
            hooks.subscribe("ci", target, SECRET.getBytes(StandardCharsets.UTF_8), RegistryEvent.Type.REGISTERED);
            hooks.deliverNow();
        }
        assertThat(received).hasSize(2);
    }

    @Test
    void aLineDamagedBeforeThePositionNeitherSkipsNorRepeatsAnEvent() throws Exception {
        URI target = receiver(0);
        ModelRegistry r = ModelRegistry.fileSystem(dir);
        try (Webhooks hooks = r.webhooks()) {
            hooks.subscribe("ci", target, SECRET.getBytes(StandardCharsets.UTF_8), RegistryEvent.Type.REGISTERED);
            r.register("churn").version("1.0.0").artifact(new byte[] {1}).save();
            r.register("churn").version("2.0.0").artifact(new byte[] {2}).save();
            eventually("two events", () -> received.size() == 2);
            // the first registration's line is damaged: the readable events shift by one
            Path audit = dir.resolve("metadata/audit.jsonl");
            List<String> lines = java.nio.file.Files.readAllLines(audit);
            lines.set(0, lines.get(0).substring(0, lines.get(0).length() / 2));
            java.nio.file.Files.write(audit, lines);
            r.register("churn").version("3.0.0").artifact(new byte[] {3}).save();
            eventually("the third event", () -> received.size() == 3);
            hooks.deliverNow();
        }
        assertThat(received).extracting(n -> n.get("version").asText()).containsExactly("1.0.0", "2.0.0", "3.0.0");
    }

    /** A durable feed as a monitor's alert table is one: events appended with increasing positions. */
    static final class ListFeed implements io.mlops.core.EventFeed {
        final List<Event> events = new CopyOnWriteArrayList<>();

        void add(String what) {
            events.add(new Event(events.size() * 3L + 2, "ALERT_OPENED", Instant.now(), Map.of("rule", what))); // gaps, as ids have
        }

        @Override
        public String name() {
            return "alerts";
        }

        @Override
        public List<Event> after(long position, int max) {
            return events.stream().filter(e -> e.position() > position).limit(max).toList();
        }
    }

    @Test
    void aFeedsEventsArriveInOrderOnceAcrossRestartsAndFailures() throws Exception {
        URI target = receiver(0);
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        ListFeed feed = new ListFeed();
        feed.add("before the subscription"); // a new subscription starts at the feed's end
        ModelRegistry r = ModelRegistry.fileSystem(dir);
        try (Webhooks hooks = r.webhooks().timing(Duration.ofMillis(20), Duration.ofSeconds(5))) {
            Webhooks.Subscription sub = hooks.subscribe("on-call", target, secret, feed);
            assertThat(sub.feed()).isEqualTo("alerts");
            failuresLeft.set(1);
            feed.add("drift");
            eventually("the alert, after a 500", () -> received.size() == 1);
            assertThat(received.get(0).get("rule").asText()).isEqualTo("drift");
            assertThat(received.get(0).get("type").asText()).isEqualTo("ALERT_OPENED");
            assertThat(received.get(0).get("id").asText()).isEqualTo("alerts:5");
            assertThat(hooks.deliveries("on-call")).extracting(Webhooks.Delivery::attempt).containsExactly(1, 2);
            // a name that follows the feed cannot follow the registry's events, nor the other way round
            assertThatThrownBy(() -> hooks.subscribe("on-call", target, secret, RegistryEvent.Type.REGISTERED))
                    .isInstanceOf(IllegalArgumentException.class);
            hooks.subscribe("ci", target, secret, RegistryEvent.Type.REGISTERED);
            assertThatThrownBy(() -> hooks.subscribe("ci", target, secret, feed)).isInstanceOf(IllegalArgumentException.class);
        }
        // while no process delivers, 250 alerts commit; the next process sends each once, in order
        for (int i = 0; i < 250; i++) {
            feed.add("alert " + i);
        }
        try (Webhooks hooks = ModelRegistry.fileSystem(dir).webhooks()) {
            hooks.subscribe("on-call", target, secret, feed);
            eventually("250 more", () -> received.size() == 251);
        }
        assertThat(received.subList(1, 251)).extracting(n -> n.get("rule").asText())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 250).mapToObj(i -> "alert " + i).toList());
        assertThat(byId.values()).allMatch(n -> n.get() == 1);
        try (Webhooks hooks = ModelRegistry.fileSystem(dir).webhooks()) {
            hooks.subscribe("on-call", target, secret, feed);
            hooks.deliverNow();
        }
        assertThat(received).hasSize(251); // the stored position: nothing again
        assertThat(badSignatures).hasValue(0);
    }

    @Test
    void badSubscriptionsAreRefused() {
        Webhooks hooks = ModelRegistry.fileSystem(dir).webhooks();
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        URI ok = URI.create("http://127.0.0.1:9/hook");
        assertThatThrownBy(() -> hooks.subscribe("CI", ok, secret, RegistryEvent.Type.REGISTERED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hooks.subscribe("../x", ok, secret, RegistryEvent.Type.REGISTERED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hooks.subscribe("ci", URI.create("file:///etc/passwd"), secret, RegistryEvent.Type.REGISTERED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hooks.subscribe("ci", ok, new byte[8], RegistryEvent.Type.REGISTERED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hooks.subscribe("ci", ok, secret)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryEvent.Type.valueOf("DRIFT_ALERT")).isInstanceOf(IllegalArgumentException.class);
        hooks.close();
    }
}
