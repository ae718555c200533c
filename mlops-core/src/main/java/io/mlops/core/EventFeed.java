package io.mlops.core;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ordered, durable log of events that another component can follow by position: the outbox
 * of a webhook subscription ({@code Webhooks.subscribe(name, target, secret, feed)} in the
 * registry). {@code ModelMonitor.alertFeed()} is one: every alert the monitor's store committed —
 * a drift or metric rule that fired, an aborted canary's alert — in the order the store gave them
 * ids. A feed is read, never written, by its follower; the follower keeps its own position.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface EventFeed {

    /**
     * The feed's name: a webhook event's id is {@code NAME:POSITION}.
     *
     * @return 1 to 64 of {@code [a-z0-9-]}
     */
    String name();

    /**
     * The events after a position, oldest first. Positions increase and an event's never changes;
     * an event committed after this call returns has a position above every one returned.
     *
     * @param position the last position the caller has (0 before the first)
     * @param max at most this many
     * @return the events
     * @throws IOException when the feed's store cannot be read
     */
    List<Event> after(long position, int max) throws IOException;

    /**
     * One event.
     *
     * @param position its position in the feed, at least 1
     * @param type its type, such as {@code ALERT_OPENED}
     * @param at when it happened
     * @param fields what a webhook's JSON body carries beside the id, position, type and time (values may be null)
     */
    record Event(long position, String type, Instant at, Map<String, Object> fields) {

        /**
         * @throws IllegalArgumentException when the position is below 1
         */
        public Event {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(at, "at");
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields)); // values may be null
            if (position < 1) {
                throw new IllegalArgumentException("an event's position is at least 1");
            }
        }
    }
}
