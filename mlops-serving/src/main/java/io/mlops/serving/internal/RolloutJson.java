package io.mlops.serving.internal;

import io.mlops.serving.Rollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A rollout as {@code /model_info} shows it: snake_case fields, times as ISO-8601, no NaN (null instead). */
final class RolloutJson {

    private RolloutJson() {
    }

    static Map<String, Object> of(Rollout r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", r.state().name().toLowerCase(Locale.ROOT));
        m.put("canary_version", r.canaryVersion());
        m.put("primary_version", r.primaryVersion());
        m.put("step", r.step());
        m.put("share", r.share());
        m.put("started_at", r.startedAt() == null ? null : r.startedAt().toString());
        m.put("step_started_at", r.stepStartedAt() == null ? null : r.stepStartedAt().toString());
        m.put("last_check", gates(r.lastCheck()));
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (Rollout.Decision d : r.decisions()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("at", d.at().toString());
            dm.put("action", d.action().name().toLowerCase(Locale.ROOT));
            dm.put("canary_version", d.canaryVersion());
            dm.put("primary_version", d.primaryVersion());
            dm.put("share", d.share());
            dm.put("reason", d.reason());
            dm.put("gates", gates(d.gates()));
            decisions.add(dm);
        }
        m.put("decisions", decisions);
        return m;
    }

    private static List<Map<String, Object>> gates(List<Rollout.Gate> gates) {
        List<Map<String, Object>> out = new ArrayList<>(gates.size());
        for (Rollout.Gate g : gates) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("name", g.name());
            gm.put("verdict", g.verdict().name().toLowerCase(Locale.ROOT));
            gm.put("canary", finite(g.canary()));
            gm.put("primary", finite(g.primary()));
            gm.put("lower", finite(g.lower()));
            gm.put("upper", finite(g.upper()));
            gm.put("canary_samples", g.canarySamples());
            gm.put("primary_samples", g.primarySamples());
            gm.put("summary", g.summary());
            out.add(gm);
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
