package io.mlops.registry.internal;

import io.mlops.core.EventFeed;
import io.mlops.core.Json;
import io.mlops.registry.RegistryEvent;
import io.mlops.registry.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
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
 * The registry's webhooks: the audit log (or a subscribed {@link EventFeed}) is the outbox, each
 * subscription's delivery position and dead letters are store values moved by compare-and-set
 * under the registry's write lock, one daemon thread delivers (every second, at once after a
 * change in this process, and when a retry is due).
 */
final class DefaultWebhooks implements Webhooks {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultWebhooks.class);
    static final int MAX_ATTEMPTS = 6;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int HISTORY = 1_000;
    private static final int MAX_DEAD = 1_000;
    /** Events delivered between writes of the stored position. */
    static final int POSITION_EVERY = 100;
    private static final int FEED_BATCH = 100;

    /** A subscription and its delivery state in this process. */
    private static final class Sub {
        final Subscription subscription;
        final byte[] secret;
        final EventFeed feed; // null: the audit log
        final Deque<Delivery> history = new ArrayDeque<>();
        long retryPosition = -1;
        int attempts;
        long nextAttemptMillis;

        Sub(Subscription subscription, byte[] secret, EventFeed feed) {
            this.subscription = subscription;
            this.secret = secret;
            this.feed = feed;
        }
    }

    private final RegistryContext registry;
    private final WebhookSender sender;
    private final Map<String, Sub> subs = new LinkedHashMap<>(); // guarded by this
    private volatile Duration backoff;
    private volatile Duration timeout = TIMEOUT;
    /** The audit log as last read, and the chain hash of its last event: an unchanged log is not read again. */
    private List<RegistryEvent> cachedEvents = List.of(); // guarded by this
    private String cachedTail; // guarded by this
    private String passedAt; // guarded by this: the tail at the end of the last full pass over the log
    private ScheduledExecutorService scheduler; // guarded by this

    DefaultWebhooks(RegistryContext registry, Duration backoff) {
        this.registry = registry;
        this.backoff = backoff;
        this.sender = new WebhookSender(registry.clock());
    }

    @Override
    public synchronized Subscription subscribe(String name, URI target, byte[] secret, RegistryEvent.Type... types) {
        check(name, target, secret);
        if (types == null || types.length == 0) {
            throw new IllegalArgumentException("subscribe to at least one event type");
        }
        Subscription s = new Subscription(name, target, Set.copyOf(EnumSet.of(types[0], types)));
        registry.write(() -> {
            if (registry.store().value(positionKey(name)).filter(v -> v.startsWith(FEED_PREFIX)).isPresent()) {
                throw new IllegalArgumentException("the subscription '" + name + "' follows a feed: choose another name");
            }
            if (registry.store().value(positionKey(name)).isEmpty()) {
                List<RegistryEvent> all = registry.store().events();
                registry.store().compareAndSetValue(positionKey(name), null, WebhookEvents.position(all, all.size()));
            }
            return null;
        });
        return add(new Sub(s, secret.clone(), null));
    }

    @Override
    public synchronized Subscription subscribe(String name, URI target, byte[] secret, EventFeed feed) {
        check(name, target, secret);
        java.util.Objects.requireNonNull(feed, "feed");
        if (feed.name() == null || !feed.name().matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("a feed's name is 1 to 64 of [a-z0-9-]");
        }
        Subscription s = new Subscription(name, target, Set.of(), feed.name());
        String stored = registry.read(() -> registry.store().value(positionKey(name)).orElse(null));
        if (stored != null && !stored.startsWith(FEED_PREFIX)) {
            throw new IllegalArgumentException("the subscription '" + name + "' follows the registry's events: choose another name");
        }
        if (stored == null) {
            String end = FEED_PREFIX + WebhookEvents.feedEnd(feed);
            registry.write(() -> registry.store().compareAndSetValue(positionKey(name), null, end));
        }
        return add(new Sub(s, secret.clone(), feed));
    }

    static final String FEED_PREFIX = "feed:";

    private static void check(String name, URI target, byte[] secret) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("a subscription's name is 1 to 64 of [a-z0-9-]");
        }
        if (target == null || !("http".equals(target.getScheme()) || "https".equals(target.getScheme())) || target.getHost() == null) {
            throw new IllegalArgumentException("a webhook target is an http or https URI with a host");
        }
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("a webhook secret has at least 32 bytes");
        }
    }

    private Subscription add(Sub sub) {
        subs.put(sub.subscription.name(), sub);
        passedAt = null; // a subscription with a stored position may have events to catch up on
        if (scheduler == null) {
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
        return sub.subscription;
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
        List<RegistryEvent> events = s.feed == null ? events() : List.of();
        List<DeadLetter> still = new ArrayList<>();
        int sent = 0;
        for (DeadLetter d : deadLetters(name)) {
            Map<String, Object> body = null;
            if (s.feed == null && d.position() < events.size()) {
                body = WebhookEvents.body(events.get((int) d.position()), d.position());
            } else if (s.feed != null) {
                body = WebhookEvents.feedEvent(s.feed, d.position());
            }
            if (body != null && send(s, d.eventId(), d.position(), body, 1) == null) {
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
            if (Thread.currentThread().isInterrupted()) {
                return; // closed while a pass ran: the next start continues from the stored position
            }
            LOG.warn("Webhook delivery failed; it runs again in a second: {}", e.toString());
        }
    }

    @Override
    public synchronized void deliverNow() {
        boolean logSubs = false;
        for (Sub s : subs.values()) {
            if (s.feed != null) {
                deliverFeed(s);
            } else {
                logSubs = true;
            }
        }
        if (!logSubs) {
            return;
        }
        boolean retrying = subs.values().stream().anyMatch(s -> s.feed == null && s.retryPosition >= 0);
        List<RegistryEvent> events = events();
        if (!retrying && cachedTail.equals(passedAt)) {
            return; // nothing appended since the last pass
        }
        for (Sub s : subs.values()) {
            if (s.feed == null) {
                deliver(s, events);
            }
        }
        passedAt = cachedTail;
    }

    /** The audit log, read again only when its last event changed (a tail read otherwise). */
    private List<RegistryEvent> events() {
        String tail = registry.read(() -> registry.store().lastEvent().map(RegistryEvent::chainHash).orElse(""));
        if (!tail.equals(cachedTail)) {
            cachedEvents = registry.read(() -> registry.store().events());
            cachedTail = cachedEvents.isEmpty() ? "" : String.valueOf(cachedEvents.get(cachedEvents.size() - 1).chainHash());
        }
        return cachedEvents;
    }

    /**
     * Delivers one subscription's due events in order; stops at one waiting for its next attempt.
     * The stored position moves every {@value #POSITION_EVERY} events and when the pass stops, by
     * compare-and-set: a crash in between sends those events again (at least once; receivers
     * deduplicate by event id), and a process that finds the position moved by another stops.
     */
    private void deliver(Sub s, List<RegistryEvent> events) {
        String name = s.subscription.name();
        String stored = registry.read(() -> registry.store().value(positionKey(name)).orElse("0:"));
        long position = WebhookEvents.resolve(stored, events, name);
        long saved = position;
        try {
            while (position < events.size()) {
                RegistryEvent e = events.get((int) position);
                if (s.subscription.types().contains(e.type())
                        && !offer(s, position, String.valueOf(e.chainHash()), WebhookEvents.body(e, position))) {
                    return; // waiting for a retry: later events wait behind it
                }
                position++;
                if (position - saved >= POSITION_EVERY) {
                    String next = WebhookEvents.position(events, (int) position);
                    saved = position;
                    if (!savePosition(name, stored, next)) {
                        return;
                    }
                    stored = next;
                }
            }
        } finally {
            if (position > saved) {
                savePosition(name, stored, WebhookEvents.position(events, (int) position));
            }
        }
    }

    /** Delivers a feed subscription's due events in the feed's order, as {@link #deliver} does the log's. */
    private void deliverFeed(Sub s) {
        String name = s.subscription.name();
        String stored = registry.read(() -> registry.store().value(positionKey(name)).orElse(FEED_PREFIX + "0"));
        long position;
        try {
            position = Long.parseLong(stored.substring(FEED_PREFIX.length()));
        } catch (RuntimeException damaged) {
            LOG.warn("Webhook '{}': its stored position does not read; starting at the feed's end", name);
            position = WebhookEvents.feedEnd(s.feed);
        }
        long saved = position;
        int sinceSave = 0;
        try {
            while (true) {
                List<EventFeed.Event> batch = s.feed.after(position, FEED_BATCH);
                if (batch.isEmpty()) {
                    return;
                }
                for (EventFeed.Event e : batch) {
                    if (!offer(s, e.position(), s.feed.name() + ":" + e.position(), WebhookEvents.body(s.feed, e))) {
                        return;
                    }
                    position = e.position();
                    if (++sinceSave >= POSITION_EVERY) {
                        String next = FEED_PREFIX + position;
                        saved = position;
                        sinceSave = 0;
                        if (!savePosition(name, stored, next)) {
                            return;
                        }
                        stored = next;
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Webhook '{}': the feed {} does not read now: {}", name, s.feed.name(), e.toString());
        } finally {
            if (position != saved) {
                savePosition(name, stored, FEED_PREFIX + position);
            }
        }
    }

    /**
     * Offers one event: true when it was delivered or set aside as a dead letter (go on), false
     * when it waits for its next attempt (stop: the ones after it wait behind it).
     */
    private boolean offer(Sub s, long position, String id, Map<String, Object> body) {
        if (s.retryPosition == position && System.currentTimeMillis() < s.nextAttemptMillis) {
            return false;
        }
        int attempt = s.retryPosition == position ? s.attempts + 1 : 1;
        String error = send(s, id, position, body, attempt);
        if (error != null) {
            if (attempt < MAX_ATTEMPTS) {
                s.retryPosition = position;
                s.attempts = attempt;
                long wait = Math.min(60_000, backoff.toMillis() << (attempt - 1));
                s.nextAttemptMillis = System.currentTimeMillis() + wait;
                if (scheduler != null) {
                    scheduler.schedule(this::deliverQuietly, wait, TimeUnit.MILLISECONDS); // on time, not on the next tick
                }
                return false;
            }
            String name = s.subscription.name();
            LOG.warn("Webhook '{}' gave up on event {} after {} attempts: {}", name, position, attempt, error);
            List<DeadLetter> dead = new ArrayList<>(deadLetters(name));
            dead.add(new DeadLetter(position, id, error));
            writeDead(name, dead.size() > MAX_DEAD ? dead.subList(dead.size() - MAX_DEAD, dead.size()) : dead);
        }
        s.retryPosition = -1;
        s.attempts = 0;
        return true;
    }

    private boolean savePosition(String name, String stored, String next) {
        boolean moved = registry.write(() -> registry.store().compareAndSetValue(positionKey(name), stored, next));
        if (!moved) {
            LOG.debug("Webhook '{}': another process moved its position first", name);
        }
        return moved;
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

    /** One attempt, recorded in the history; null when the receiver answered 2xx, else why not. */
    private String send(Sub s, String id, long position, Map<String, Object> body, int attempt) {
        WebhookSender.Outcome o = sender.send(s.subscription.target(), s.secret, id, body, timeout);
        s.history.addLast(new Delivery(id, position, registry.clock().instant(), o.status(), o.error(), attempt));
        while (s.history.size() > HISTORY) {
            s.history.removeFirst();
        }
        return o.error();
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
