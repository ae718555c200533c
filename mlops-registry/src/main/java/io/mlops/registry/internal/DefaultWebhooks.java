package io.mlops.registry.internal;

import io.mlops.core.Json;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The registry's webhooks: the audit log is the outbox, each subscription's delivery position and
 * dead letters are store values moved by compare-and-set under the registry's write lock, one
 * daemon thread delivers (every second, and at once after a change in this process).
 */
final class DefaultWebhooks implements Webhooks {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultWebhooks.class);
    static final int MAX_ATTEMPTS = 6;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int HISTORY = 1_000;
    private static final int MAX_DEAD = 1_000;

    /** A subscription and its delivery state in this process. */
    private static final class Sub {
        final Subscription subscription;
        final byte[] secret;
        final Deque<Delivery> history = new ArrayDeque<>();
        long retryPosition = -1;
        int attempts;
        long nextAttemptMillis;

        Sub(Subscription subscription, byte[] secret) {
            this.subscription = subscription;
            this.secret = secret;
        }
    }

    private final RegistryContext registry;
    private final Map<String, Sub> subs = new LinkedHashMap<>(); // guarded by this
    private volatile Duration backoff;
    private volatile Duration timeout = TIMEOUT;
    private HttpClient http; // guarded by this
    /** The chain hash of the log's last event at the end of the last full pass: an unchanged log has nothing new. */
    private String passedAt; // guarded by this
    private ScheduledExecutorService scheduler; // guarded by this

    DefaultWebhooks(RegistryContext registry, Duration backoff) {
        this.registry = registry;
        this.backoff = backoff;
    }

    @Override
    public synchronized Subscription subscribe(String name, URI target, byte[] secret, RegistryEvent.Type... types) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("a subscription's name is 1 to 64 of [a-z0-9-]");
        }
        if (target == null || !("http".equals(target.getScheme()) || "https".equals(target.getScheme())) || target.getHost() == null) {
            throw new IllegalArgumentException("a webhook target is an http or https URI with a host");
        }
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("a webhook secret has at least 32 bytes");
        }
        if (types == null || types.length == 0) {
            throw new IllegalArgumentException("subscribe to at least one event type");
        }
        Subscription s = new Subscription(name, target, Set.copyOf(EnumSet.of(types[0], types)));
        registry.write(() -> {
            if (registry.store().value(positionKey(name)).isEmpty()) {
                List<RegistryEvent> all = registry.store().events();
                registry.store().compareAndSetValue(positionKey(name), null, position(all, all.size()));
            }
            return null;
        });
        subs.put(name, new Sub(s, secret.clone()));
        passedAt = null; // a subscription with a stored position may have events to catch up on
        if (scheduler == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mlops-webhooks");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(this::deliverQuietly, 1, 1, TimeUnit.SECONDS);
            registry.listeners().add(e -> {
                ScheduledExecutorService sc = scheduler;
                if (sc != null && !sc.isShutdown()) {
                    sc.execute(this::deliverQuietly);
                }
            });
        }
        return s;
    }

    static String positionKey(String name) {
        return "webhook." + name + ".position";
    }

    static String deadKey(String name) {
        return "webhook." + name + ".dead";
    }

    @Override
    public Webhooks timing(Duration firstRetry, Duration attemptTimeout) {
        if (firstRetry.isNegative() || firstRetry.isZero() || attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("the retry delay and the timeout are positive");
        }
        this.backoff = firstRetry;
        this.timeout = attemptTimeout;
        return this;
    }

    @Override
    public synchronized List<Subscription> subscriptions() {
        return subs.values().stream().map(s -> s.subscription).toList();
    }

    @Override
    public synchronized List<Delivery> deliveries(String name) {
        Sub s = subs.get(name);
        return s == null ? List.of() : List.copyOf(s.history);
    }

    @Override
    public List<DeadLetter> deadLetters(String name) {
        String text = registry.read(() -> registry.store().value(deadKey(name)).orElse("[]"));
        List<DeadLetter> out = new ArrayList<>();
        try {
            for (Object o : (List<?>) Json.read(text)) {
                List<?> l = (List<?>) o;
                out.add(new DeadLetter(((Number) l.get(0)).longValue(), (String) l.get(1), (String) l.get(2)));
            }
        } catch (IOException | RuntimeException damaged) {
            LOG.warn("The dead letters of webhook '{}' do not read: {}", name, damaged.toString());
        }
        return out;
    }

    @Override
    public synchronized int replayDeadLetters(String name) {
        Sub s = subs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no subscription '" + name + "'");
        }
        List<DeadLetter> dead = deadLetters(name);
        List<RegistryEvent> events = registry.read(() -> registry.store().events());
        List<DeadLetter> still = new ArrayList<>();
        int sent = 0;
        for (DeadLetter d : dead) {
            if (d.position() < events.size() && send(s, events.get((int) d.position()), d.position(), 1) == null) {
                sent++;
            } else {
                still.add(d);
            }
        }
        writeDead(name, still);
        return sent;
    }

    private void deliverQuietly() {
        try {
            deliverNow();
        } catch (RuntimeException e) {
            LOG.warn("Webhook delivery failed; it runs again in a second: {}", e.toString());
        }
    }

    @Override
    public synchronized void deliverNow() {
        if (subs.isEmpty()) {
            return;
        }
        boolean retrying = subs.values().stream().anyMatch(s -> s.retryPosition >= 0);
        String tail = registry.read(() -> registry.store().lastEvent().map(RegistryEvent::chainHash).orElse(""));
        if (!retrying && tail.equals(passedAt)) {
            return; // nothing appended since the last pass: the log is not read again (a tail read, once a second)
        }
        List<RegistryEvent> events = registry.read(() -> registry.store().events());
        for (Sub s : subs.values()) {
            deliver(s, events);
        }
        passedAt = events.isEmpty() ? "" : String.valueOf(events.get(events.size() - 1).chainHash());
    }

    /** Delivers one subscription's due events in order; stops at one waiting for its next attempt. */
    private void deliver(Sub s, List<RegistryEvent> events) {
        String name = s.subscription.name();
        while (true) {
            String stored = registry.read(() -> registry.store().value(positionKey(name)).orElse("0:"));
            long position = resolve(stored, events, name);
            if (position >= events.size()) {
                return;
            }
            RegistryEvent e = events.get((int) position);
            if (s.subscription.types().contains(e.type())) {
                if (s.retryPosition == position && System.currentTimeMillis() < s.nextAttemptMillis) {
                    return; // waiting for its next attempt: later events wait behind it
                }
                int attempt = s.retryPosition == position ? s.attempts + 1 : 1;
                String error = send(s, e, position, attempt);
                if (error != null) {
                    if (attempt < MAX_ATTEMPTS) {
                        s.retryPosition = position;
                        s.attempts = attempt;
                        long wait = Math.min(60_000, backoff.toMillis() << (attempt - 1));
                        s.nextAttemptMillis = System.currentTimeMillis() + wait;
                        return;
                    }
                    LOG.warn("Webhook '{}' gave up on event {} after {} attempts: {}", name, position, attempt, error);
                    List<DeadLetter> dead = new ArrayList<>(deadLetters(name));
                    dead.add(new DeadLetter(position, e.chainHash(), error));
                    writeDead(name, dead.size() > MAX_DEAD ? dead.subList(dead.size() - MAX_DEAD, dead.size()) : dead);
                }
                s.retryPosition = -1;
                s.attempts = 0;
            }
            boolean moved = registry.write(() -> registry.store().compareAndSetValue(positionKey(name), stored,
                    position(events, (int) position + 1)));
            if (!moved) {
                LOG.debug("Webhook '{}': another process moved its position first", name);
            }
        }
    }

    /**
     * A stored position: the number of events delivered (or passed) and the chain hash of the last
     * of them, so that the position still names the right event if the readable list shifts (an
     * event before it became unreadable).
     */
    static String position(List<RegistryEvent> events, int delivered) {
        return delivered + ":" + (delivered == 0 ? "" : String.valueOf(events.get(delivered - 1).chainHash()));
    }

    /** The index of the next event to deliver, from a stored position; found by its hash when the list shifted. */
    static long resolve(String stored, List<RegistryEvent> events, String name) {
        int colon = stored.indexOf(':');
        long delivered;
        try {
            delivered = Long.parseLong(colon < 0 ? stored : stored.substring(0, colon));
        } catch (NumberFormatException damaged) {
            LOG.warn("Webhook '{}': its stored position '{}' does not read; starting at the log's end", name,
                    stored.length() > 80 ? stored.substring(0, 80) : stored);
            return events.size();
        }
        String hash = colon < 0 ? "" : stored.substring(colon + 1);
        if (hash.isEmpty() || delivered >= 1 && delivered <= events.size() && hash.equals(events.get((int) delivered - 1).chainHash())) {
            return delivered;
        }
        for (int i = events.size() - 1; i >= 0; i--) {
            if (hash.equals(events.get(i).chainHash())) {
                return i + 1;
            }
        }
        return Math.min(delivered, events.size()); // the last delivered event is gone: the count is all there is
    }

    private void writeDead(String name, List<DeadLetter> dead) {
        List<List<Object>> rows = new ArrayList<>();
        for (DeadLetter d : dead) {
            rows.add(java.util.Arrays.asList(d.position(), d.eventId(), d.error()));
        }
        String next = Json.write(rows, 1 << 20, "the dead letters");
        registry.write(() -> {
            String before = registry.store().value(deadKey(name)).orElse(null);
            registry.store().compareAndSetValue(deadKey(name), before, next);
            return null;
        });
    }

    /** One attempt; null when the receiver answered 2xx, else why not. */
    private String send(Sub s, RegistryEvent e, long position, int attempt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", e.chainHash());
        body.put("position", position);
        body.put("type", e.type().name());
        body.put("model", e.model());
        body.put("version", e.version());
        body.put("alias", e.alias());
        body.put("previous_version", e.previousVersion());
        body.put("at", e.at().toString());
        body.put("actor", e.actor());
        body.put("reason", e.reason());
        byte[] bytes = Json.write(body, 1 << 20, "a webhook body").getBytes(StandardCharsets.UTF_8);
        long now = registry.clock().instant().getEpochSecond();
        String error;
        int status = 0;
        try {
            HttpRequest request = HttpRequest.newBuilder(s.subscription.target()).timeout(timeout)
                    .header("Content-Type", "application/json").header(ID_HEADER, String.valueOf(e.chainHash()))
                    .header(SIGNATURE_HEADER, WebhookSignatures.sign(s.secret, now, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = r.statusCode();
            error = status / 100 == 2 ? null : "HTTP " + status;
        } catch (IOException ex) {
            error = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        s.history.addLast(new Delivery(e.chainHash(), position, registry.clock().instant(), status, error, attempt));
        while (s.history.size() > HISTORY) {
            s.history.removeFirst();
        }
        return error;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public String toString() {
        return "Webhooks" + subscriptions().stream().map(Subscription::name).toList();
    }
}
