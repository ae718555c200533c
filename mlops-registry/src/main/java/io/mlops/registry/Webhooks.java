package io.mlops.registry;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Registry events delivered to HTTP receivers ({@link ModelRegistry#webhooks()}): each event of a
 * subscribed type is POSTed as JSON to the subscription's target, signed with HMAC-SHA256 over
 * {@code TIMESTAMP + "." + BODY} in the header {@value #SIGNATURE_HEADER} ({@code t=SECONDS,v1=HEX};
 * receivers check it with {@link #verify}, inside a replay window), its id — the event's chain hash —
 * in {@value #ID_HEADER}.
 *
 * <p><b>The audit log is the outbox.</b> An event is in the audit log once it committed, in the same
 * write as the change it describes; a subscription keeps its delivery position in the store and
 * moves it only after the receiver answered 2xx. So an event that committed is delivered at least
 * once, whatever process died when: a restarted registry continues from the stored position, and a
 * receiver that was down gets everything after it comes back, in order. The stored position is the
 * number of events passed and the chain hash of the last of them, so an event that became
 * unreadable before it shifts nothing. Each event is tried up to
 * {@code maxAttempts} times with exponential back-off (1 s, 2 s, 4 s, ... up to a minute; a target that
 * hangs times out after 10 s), then set aside as a dead letter, which {@link #replayDeadLetters}
 * sends again. Receivers deduplicate by {@value #ID_HEADER}: two processes delivering the same
 * subscription can both send an event.
 *
 * <p>The library sends to no address the user did not name: targets are only what
 * {@link #subscribe} was given, and subscriptions are configuration, per registry instance. Thread-safe.
 *
 * @since 0.1.0
 */
public interface Webhooks extends AutoCloseable {

    /** The signature header. */
    String SIGNATURE_HEADER = "X-Mlops-Signature";
    /** The event id header. */
    String ID_HEADER = "X-Mlops-Event-Id";

    /**
     * A subscription.
     *
     * @param name its name: the key of its delivery position in the store (1 to 64 of {@code [a-z0-9-]})
     * @param target where events are POSTed (http or https)
     * @param types the registry event types delivered (none for a feed's subscription)
     * @param feed the name of the {@link io.mlops.core.EventFeed} delivered, or null for the registry's audit log
     */
    record Subscription(String name, URI target, Set<RegistryEvent.Type> types, String feed) {

        /**
         * A subscription to the registry's events.
         *
         * @param name its name
         * @param target where events are POSTed
         * @param types the event types delivered
         */
        public Subscription(String name, URI target, Set<RegistryEvent.Type> types) {
            this(name, target, types, null);
        }
    }

    /**
     * One delivery attempt, for the subscription's history.
     *
     * @param eventId the event's id
     * @param position the event's position in the audit log (or in the feed)
     * @param at when
     * @param status the HTTP status, or 0 when there was no answer
     * @param error why it failed, or null
     * @param attempt the attempt's number, from 1
     */
    record Delivery(String eventId, long position, Instant at, int status, String error, int attempt) {
    }

    /**
     * An event set aside after its last attempt.
     *
     * @param position its position in the audit log (or in the feed)
     * @param eventId its id
     * @param error the last failure
     */
    record DeadLetter(long position, String eventId, String error) {
    }

    /**
     * Subscribes a receiver. A new subscription starts at the end of the audit log (it is not sent
     * the past); one whose name has a stored position continues from it.
     *
     * @param name the subscription's name
     * @param target the receiver, http or https
     * @param secret the HMAC key, at least 32 bytes
     * @param types the event types to deliver, at least one
     * @return the subscription
     * @throws IllegalArgumentException for a bad name, target, secret or no types
     */
    Subscription subscribe(String name, URI target, byte[] secret, RegistryEvent.Type... types);

    /**
     * Subscribes a receiver to another component's events: every event of the feed, such as
     * {@code monitor.alertFeed()} (each alert the monitor's store committed, drift and aborted
     * canaries among them), signed and retried as the registry's own and delivered in the feed's
     * order; the event id is {@code FEEDNAME:POSITION}. The feed is the outbox; the position is kept
     * in this registry's store. A new subscription starts at the feed's end; one whose name has a
     * stored position continues from it.
     *
     * @param name the subscription's name
     * @param target the receiver, http or https
     * @param secret the HMAC key, at least 32 bytes
     * @param feed the events
     * @return the subscription
     * @throws IllegalArgumentException for a bad name, target or secret, or a name subscribed to something else
     */
    Subscription subscribe(String name, URI target, byte[] secret, io.mlops.core.EventFeed feed);

    /**
     * Subscribes a receiver under a name made from its target (the first 16 hexadecimal digits of the
     * SHA-256 of the URI, prefixed {@code hook-}): the same target continues from its stored position.
     *
     * @param target the receiver, http or https
     * @param secret the HMAC key, at least 32 bytes
     * @param types the event types to deliver, at least one
     * @return the subscription
     * @throws IllegalArgumentException for a bad target, secret or no types
     */
    default Subscription subscribe(URI target, byte[] secret, RegistryEvent.Type... types) {
        if (target == null) {
            throw new IllegalArgumentException("a webhook target is an http or https URI with a host");
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(target.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return subscribe("hook-" + java.util.HexFormat.of().formatHex(digest).substring(0, 16), target, secret, types);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return the subscriptions
     */
    List<Subscription> subscriptions();

    /**
     * @param name a subscription
     * @return its latest delivery attempts (at most 1,000), oldest first
     */
    List<Delivery> deliveries(String name);

    /**
     * @param name a subscription
     * @return its dead letters
     */
    List<DeadLetter> deadLetters(String name);

    /**
     * Sets the first retry's delay (default 1 s; each next one doubles, at most a minute) and how long
     * an attempt may take (default 10 s: a receiver that hangs is a failed attempt).
     *
     * @param firstRetry the first retry's delay, positive
     * @param timeout an attempt's limit, positive
     * @return this
     */
    Webhooks timing(Duration firstRetry, Duration timeout);

    /**
     * Sends a subscription's dead letters again, one attempt each; those that fail again stay.
     *
     * @param name a subscription
     * @return how many were sent
     */
    int replayDeadLetters(String name);

    /**
     * Delivers what is due now, on the calling thread (the background thread does the same every
     * {@code pollInterval}).
     */
    void deliverNow();

    /**
     * Checks a delivery's signature, as a receiver should: the HMAC over the timestamp and the body,
     * and a timestamp within the window (a replay outside it is refused).
     *
     * @param secret the subscription's secret
     * @param header the {@value #SIGNATURE_HEADER} header
     * @param body the request body
     * @param now the receiver's clock
     * @param window how old a delivery may be, e.g. 5 minutes
     * @return whether the signature is valid and fresh
     */
    static boolean verify(byte[] secret, String header, byte[] body, Instant now, Duration window) {
        return io.mlops.registry.internal.WebhookSignatures.verify(secret, header, body, now, window);
    }

    /** Stops the background delivery; undelivered events stay in the log for the next start. */
    @Override
    void close();
}
