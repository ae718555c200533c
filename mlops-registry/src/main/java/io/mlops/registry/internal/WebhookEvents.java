package io.mlops.registry.internal;

import io.mlops.core.EventFeed;
import io.mlops.registry.RegistryEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What webhooks send and where they are: the JSON bodies, stored positions in the log, a feed's end. */
final class WebhookEvents {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookEvents.class);

    private WebhookEvents() {
    }

    static long feedEnd(EventFeed feed) {
        long end = 0;
        try {
            for (List<EventFeed.Event> batch = feed.after(0, 1_000); !batch.isEmpty(); batch = feed.after(end, 1_000)) {
                end = batch.get(batch.size() - 1).position();
            }
        } catch (IOException e) {
            throw new io.mlops.core.StorageException("the feed " + feed.name() + " does not read: " + e.getMessage(), e);
        }
        return end;
    }

    /** A feed's event at a position as a body, or null when the feed no longer has it. */
    static Map<String, Object> feedEvent(EventFeed feed, long position) {
        try {
            List<EventFeed.Event> one = feed.after(position - 1, 1);
            return one.isEmpty() || one.get(0).position() != position ? null : body(feed, one.get(0));
        } catch (IOException e) {
            return null;
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

    static Map<String, Object> body(RegistryEvent e, long position) {
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
        return body;
    }

    static Map<String, Object> body(EventFeed feed, EventFeed.Event e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", feed.name() + ":" + e.position());
        body.put("position", e.position());
        body.put("type", e.type());
        body.put("feed", feed.name());
        body.put("at", e.at().toString());
        e.fields().forEach(body::putIfAbsent);
        return body;
    }
}
