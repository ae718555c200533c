package io.mlops.console.internal;

import io.mlops.core.Json;
import io.mlops.registry.AliasChange;
import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.mlops.console.internal.Html.a;
import static io.mlops.console.internal.Html.esc;
import static io.mlops.console.internal.Html.path;

/** The registry's pages: models, a model's versions and aliases, a version, an alias's history with its actions. */
final class ModelPages {

    private static final com.fasterxml.jackson.databind.ObjectWriter METADATA = Json.prettyWriter();
    private final ModelRegistry registry;
    private final io.mlops.core.AccessTokens tokens;

    ModelPages(ModelRegistry registry, io.mlops.core.AccessTokens tokens) {
        this.registry = registry;
        this.tokens = tokens;
    }

    String models() {
        List<List<String>> rows = new ArrayList<>();
        for (String m : registry.models()) {
            List<ModelVersion> versions = registry.versions(m);
            rows.add(List.of(a(path("models", m), m), String.valueOf(versions.size()),
                    versions.isEmpty() ? "" : esc(versions.get(versions.size() - 1).version()), aliases(m, registry.aliases(m))));
        }
        return Html.page("Models", rows.isEmpty() ? "<p class=\"muted\">No model is registered.</p>"
                : Html.table(List.of("model", "versions", "latest", "aliases"), rows));
    }

    private static String aliases(String model, Map<String, String> aliases) {
        List<String> out = new ArrayList<>();
        aliases.forEach((alias, version) -> out.add(a(path("models", model, "aliases", alias), alias) + " &rarr; "
                + a(path("models", model, "versions", version), version)));
        return String.join("<br>", out);
    }

    String model(String name) {
        List<ModelVersion> versions = registry.versions(name);
        if (versions.isEmpty() && !registry.models().contains(name)) {
            throw new PageError(404, "No model named '" + name + "'");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            ModelVersion v = versions.get(i);
            rows.add(List.of(a(path("models", name, "versions", v.version()), v.version()), esc(Html.TIME.format(v.registeredAt())),
                    esc(v.sizeBytes()), "<code>" + esc(v.sha256().substring(0, 12)) + "</code>", esc(v.tags())));
        }
        return Html.page("Model " + name, "<h2>Aliases</h2>" + (registry.aliases(name).isEmpty() ? "<p class=\"muted\">none</p>"
                : "<p>" + aliases(name, registry.aliases(name)) + "</p>") + pendingRequests(name) + "<h2>Versions</h2>"
                + Html.table(List.of("version", "registered (UTC)", "bytes", "sha256", "tags"), rows));
    }

    /** The model's alias move requests that wait for approvals, if any. */
    private String pendingRequests(String name) {
        List<List<String>> rows = new ArrayList<>();
        for (io.mlops.registry.AliasMoveRequest r : registry.aliasMoveRequests(name)) {
            if (r.status() == io.mlops.registry.AliasMoveRequest.Status.PENDING) {
                String base = path("models", name, "requests", r.id());
                String decide = !tokens.grants(io.mlops.core.AccessTokens.Role.DEPLOYER) ? ""
                        : "<form method=\"post\" action=\"" + esc(base + "/approve") + "\">" + fields()
                        + "<button type=\"submit\">Approve</button></form><form method=\"post\" action=\""
                        + esc(base + "/reject") + "\">" + fields() + "<button type=\"submit\">Reject</button></form>";
                rows.add(List.of("<code>" + esc(r.id()) + "</code>", esc(r.alias()), esc(r.from() == null ? "-" : r.from())
                        + " &rarr; " + esc(r.version()), esc(r.requester()), esc(Html.TIME.format(r.requestedAt())),
                        esc(String.join(", ", r.approvers())), esc(r.reason() == null ? "" : r.reason()), decide));
            }
        }
        return rows.isEmpty() ? "" : "<h2>Alias moves awaiting approval</h2>" + Html.table(List.of("request", "alias", "move",
                "requested by", "at (UTC)", "approved by", "reason", ""), rows);
    }

    String version(String name, String version) {
        ModelVersion v = registry.find(name, version)
                .orElseThrow(() -> new PageError(404, "No version '" + version + "' of model '" + name + "'"));
        List<String> pointing = new ArrayList<>();
        registry.aliases(name).forEach((alias, target) -> {
            if (target.equals(v.version())) {
                pointing.add(a(path("models", name, "aliases", alias), alias));
            }
        });
        String metadata;
        try {
            metadata = METADATA.writeValueAsString(v.metadata());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            metadata = String.valueOf(v.metadata());
        }
        List<List<String>> tags = new ArrayList<>();
        v.tags().forEach((k, val) -> tags.add(List.of(esc(k), esc(val))));
        return Html.page(name + " " + v.version(), Html.table(List.of("field", "value"), List.of(
                List.of("model", a(path("models", name), name)),
                List.of("version", esc(v.version())),
                List.of("registered (UTC)", esc(Html.TIME.format(v.registeredAt()))),
                List.of("size", esc(v.sizeBytes()) + " bytes"),
                List.of("sha256", "<code>" + esc(v.sha256()) + "</code>"),
                List.of("aliases here", String.join(", ", pointing)),
                List.of("model card", a(path("models", name, "versions", v.version(), "card"), "model card"))))
                + "<h2>Tags</h2>" + (tags.isEmpty() ? "<p class=\"muted\">none</p>" : Html.table(List.of("tag", "value"), tags))
                + "<h2>Metadata</h2><pre class=\"metadata\">" + esc(metadata) + "</pre>");
    }

    /** The version's model card (the registry's facts and the card.* texts), as its own page. */
    String card(String name, String version) {
        if (registry.find(name, version).isEmpty()) {
            throw new PageError(404, "No version '" + version + "' of model '" + name + "'");
        }
        return registry.card(name, version).toHtml();
    }

    String alias(String name, String alias) {
        List<AliasChange> history = registry.aliasHistory(name, alias);
        if (history.isEmpty()) {
            throw new PageError(404, "Model '" + name + "' has no alias '" + alias + "'");
        }
        List<String> labels = new ArrayList<>();
        List<String> times = new ArrayList<>();
        List<Boolean> back = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (AliasChange c : history) {
            labels.add(c.to() == null ? "removed" : c.to());
            times.add(Html.TIME.format(c.at()));
            back.add(c.reason() != null && c.reason().contains("rollback"));
            rows.add(List.of(esc(Html.TIME.format(c.at())), versionLink(name, c.from()), versionLink(name, c.to()), esc(c.actor()),
                    esc(c.reason())));
        }
        java.util.Collections.reverse(rows);
        String current = registry.byAlias(name, alias).map(ModelVersion::version).orElse(null);
        StringBuilder body = new StringBuilder("<p>Model " + a(path("models", name), name) + "; " + esc(alias) + " points at "
                + (current == null ? "nothing" : a(path("models", name, "versions", current), current)) + ".</p>");
        body.append("<div class=\"chart\">").append(Svg.timeline(labels, times, back)).append("</div>");
        body.append("<h2>History, newest first</h2>")
                .append(Html.table(List.of("at (UTC)", "from", "to", "actor", "reason"), rows));
        if (!tokens.grants(io.mlops.core.AccessTokens.Role.DEPLOYER)) {
            body.append("<p class=\"muted\">Read-only: start the console with a deployer's token to move or roll back aliases.</p>");
        } else {
            String base = path("models", name, "aliases", alias);
            body.append("<h2>Change</h2><form method=\"post\" action=\"").append(esc(base + "/rollback")).append("\">")
                    .append(fields()).append("<button type=\"submit\" name=\"do\" value=\"rollback\">Roll back</button></form>");
            StringBuilder options = new StringBuilder();
            List<ModelVersion> versions = registry.versions(name);
            for (int i = versions.size() - 1; i >= 0; i--) {
                options.append("<option>").append(esc(versions.get(i).version())).append("</option>");
            }
            body.append("<form method=\"post\" action=\"").append(esc(base + "/move")).append("\">")
                    .append("<label>version<select name=\"version\">").append(options).append("</select></label>")
                    .append(fields()).append("<button type=\"submit\" name=\"do\" value=\"move\">Move</button></form>");
        }
        return Html.page("Alias " + alias + " of " + name, body.toString());
    }

    private static String fields() {
        return "<label>your name<input name=\"actor\" required maxlength=\"64\"></label>"
                + "<label>reason<input name=\"reason\" maxlength=\"500\"></label>"
                + "<label>token<input name=\"token\" type=\"password\" required></label>";
    }

    private static String versionLink(String name, String version) {
        return version == null ? "<span class=\"muted\">none</span>" : a(path("models", name, "versions", version), version);
    }

    /** Carries out a move or rollback asked for by a form; returns the page to go to. */
    String change(String name, String alias, String action, Map<String, String> form) {
        String actor = deployer(form);
        String given = form.getOrDefault("reason", "").strip();
        String reason = "console, by " + actor + (given.isEmpty() ? "" : ": " + given);
        if (reason.length() > AliasChange.MAX_REASON_LENGTH) {
            throw new PageError(400, "The reason is too long");
        }
        try {
            if (action.equals("rollback")) {
                registry.rollback(name, alias, "rollback " + reason);
            } else {
                registry.setAlias(name, alias, form.getOrDefault("version", ""), reason);
            }
        } catch (io.mlops.core.ValidationException | io.mlops.registry.ModelNotFoundException
                 | io.mlops.registry.UntrustedModelException | io.mlops.registry.ApprovalRequiredException e) {
            throw new PageError(409, e.getMessage());
        }
        return path("models", name, "aliases", alias);
    }

    /** Checks a form's deployer token; returns the name it gives. */
    private String deployer(Map<String, String> form) {
        if (!tokens.grants(io.mlops.core.AccessTokens.Role.DEPLOYER)) {
            throw new PageError(403, "This console is read-only");
        }
        if (!tokens.allows(form.getOrDefault("token", ""), io.mlops.core.AccessTokens.Role.DEPLOYER)) {
            throw new PageError(403, "Wrong token: moves and approvals need a deployer's token");
        }
        String actor = form.getOrDefault("actor", "").strip();
        if (actor.isEmpty() || actor.length() > 64 || actor.chars().anyMatch(c -> c < 0x20)) {
            throw new PageError(400, "Give your name (1 to 64 characters)");
        }
        return actor;
    }

    /** Approves or rejects an alias move request asked for by a form; returns the model's page. */
    String decide(String name, String id, String action, Map<String, String> form) {
        String actor = deployer(form);
        io.mlops.registry.AliasMoveRequest r = registry.aliasMoveRequest(id).filter(x -> x.model().equals(name))
                .orElseThrow(() -> new PageError(404, "No alias move request " + id + " of model " + name));
        try {
            if (action.equals("approve")) {
                registry.approve(r.id(), actor);
            } else {
                String given = form.getOrDefault("reason", "").strip();
                registry.reject(r.id(), actor, given.isEmpty() ? null : given.length() > 500 ? given.substring(0, 500) : given);
            }
        } catch (io.mlops.core.ValidationException | io.mlops.registry.ModelNotFoundException
                 | io.mlops.registry.UntrustedModelException | io.mlops.registry.ApprovalRequiredException e) {
            throw new PageError(409, e.getMessage());
        }
        return path("models", name);
    }
}
