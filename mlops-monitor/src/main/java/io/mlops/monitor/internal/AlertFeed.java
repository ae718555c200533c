package io.mlops.monitor.internal;

import io.mlops.core.EventFeed;
import io.mlops.monitor.Alert;
import io.mlops.monitor.spi.MonitorStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A monitor store's alerts as an event feed: position = the alert's id ({@code ModelMonitor.alertFeed()}). */
final class AlertFeed implements EventFeed {

    static final String TYPE = "ALERT_OPENED";
    private final MonitorStore store;

    AlertFeed(MonitorStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "alerts";
    }

    @Override
    public List<Event> after(long position, int max) throws IOException {
        if (max < 1) {
            throw new IllegalArgumentException("max is at least 1");
        }
        List<Event> out = new ArrayList<>();
        for (Alert a : store.alertsAfter(Math.max(0, position), max)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("rule", a.rule());
            fields.put("metric", a.metric().name());
            fields.put("severity", a.severity().name());
            fields.put("message", a.message());
            fields.put("value", Double.isFinite(a.value()) ? a.value() : null);
            fields.put("threshold", Double.isFinite(a.threshold()) ? a.threshold() : null);
            fields.put("model_version", a.modelVersion());
            fields.put("resolved_at", a.resolvedAt() == null ? null : a.resolvedAt().toString());
            out.add(new Event(a.id(), TYPE, a.openedAt(), fields));
        }
        return out;
    }

    @Override
    public String toString() {
        return "AlertFeed[" + store + "]";
    }
}
