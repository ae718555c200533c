package io.mlops.console.internal;

import io.mlops.console.Console;
import io.mlops.core.MlopsException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The console on Jetty 12 (core API): routes a request to its page, renders errors as pages
 * without stack traces (an error id the log repeats), and sends every page with headers that
 * forbid scripts, framing and requests to other hosts.
 */
public final class JettyConsole implements Console {

    private static final Logger LOG = LoggerFactory.getLogger(JettyConsole.class);
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";

    private final ConsoleSettings settings;
    private final ModelPages models;
    private final DataPages data;
    private final MonitorPages monitor;
    private Server server;
    private ServerConnector connector;

    /**
     * Creates the console.
     *
     * @param settings what the builder collected
     */
    public JettyConsole(ConsoleSettings settings) {
        this.settings = settings;
        this.models = settings.registry() == null ? null : new ModelPages(settings.registry(), settings.tokens());
        this.data = settings.data() == null ? null : new DataPages(settings.data());
        this.monitor = settings.monitor() == null ? null : new MonitorPages(settings.monitor(), settings.driftReference());
    }

    @Override
    public synchronized Console start() {
        if (server != null) {
            throw new IllegalStateException("the console is already started");
        }
        QueuedThreadPool pool = new QueuedThreadPool(8, 2, 60_000);
        pool.setName("mlops-console");
        pool.setDaemon(true);
        Server jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty's parser caches header fields and matches them case-insensitively by default: a cached
        // "Authorization: Bearer token" would stand in for "Bearer TOKEN" on the same connection
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector c = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        c.setHost(settings.host());
        c.setPort(settings.port());
        c.setIdleTimeout(30_000);
        jetty.addConnector(c);
        jetty.setHandler(new Dispatch());
        jetty.setErrorHandler(new HtmlErrorHandler());
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                LOG.debug("Stopping a console that failed to start: {}", ignored.toString());
            }
            throw new MlopsException("Cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        server = jetty;
        connector = c;
        LOG.info("Console on {}", uri());
        return this;
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public URI uri() {
        String host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("Could not stop the console: {}", e.toString());
            }
            server = null;
        }
    }

    /** Puts the headers every response carries: no scripts, framing or other hosts, no sniffing, referrer or caching. */
    static void secure(org.eclipse.jetty.http.HttpFields.Mutable headers) {
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    /** A page's outcome: HTML with a status, or a redirect after a change. */
    private record Outcome(int status, String html, String location) {
    }

    private final class Dispatch extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Outcome out;
            try {
                out = route(request);
            } catch (io.mlops.core.ValidationException | io.mlops.core.NotFoundException e) {
                out = new Outcome(404, Html.page("Not found", "<p class=\"bad\">" + Html.esc(e.getMessage())
                        + "</p><p><a href=\"/\">Overview</a></p>"), null);
            } catch (PageError e) {
                out = new Outcome(e.status, Html.page(e.status == 404 ? "Not found" : "Cannot do that",
                        "<p class=\"bad\">" + Html.esc(e.getMessage()) + "</p><p><a href=\"/\">Overview</a></p>"), null);
            } catch (RuntimeException e) {
                String id = UUID.randomUUID().toString();
                LOG.error("Console request {} {} failed (error id {})", request.getMethod(), request.getHttpURI().getPath(), id, e);
                out = new Outcome(500, Html.page("Something went wrong", "<p class=\"bad\">The page could not be made."
                        + " The server's log has the details under error id " + id + ".</p>"), null);
            }
            secure(response.getHeaders());
            if (out.status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"mlops console\", charset=\"UTF-8\"");
            }
            if (out.location() != null) {
                response.setStatus(303);
                response.getHeaders().put(HttpHeader.LOCATION, out.location());
                response.write(true, null, callback);
                return true;
            }
            response.setStatus(out.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            response.write(true, java.nio.ByteBuffer.wrap(out.html().getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }

    private Outcome route(Request request) {
        List<String> p = segments(request.getHttpURI().getPath());
        String method = request.getMethod();
        if (settings.tokens().has(io.mlops.core.AccessTokens.Role.READER)
                && !settings.tokens().allows(presented(request), io.mlops.core.AccessTokens.Role.READER)) {
            throw new PageError(401, "This console needs a token: give it as the password");
        }
        if (method.equals("POST")) {
            if (models != null && p.size() == 5 && p.get(0).equals("models") && p.get(2).equals("aliases")
                    && (p.get(4).equals("rollback") || p.get(4).equals("move"))) {
                return new Outcome(303, null, models.change(p.get(1), p.get(3), p.get(4), form(request)));
            }
            if (models != null && p.size() == 5 && p.get(0).equals("models") && p.get(2).equals("requests")
                    && (p.get(4).equals("approve") || p.get(4).equals("reject"))) {
                return new Outcome(303, null, models.decide(p.get(1), p.get(3), p.get(4), form(request)));
            }
            throw new PageError(p.isEmpty() ? 405 : 404, "Nothing to post to here");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new PageError(405, "Only GET and POST");
        }
        String html = switch (p.isEmpty() ? "" : p.get(0)) {
            case "" -> overview();
            case "models" -> modelPage(p);
            case "datasets" -> dataPage(p, query(request));
            case "monitor" -> p.size() == 1 ? need(monitor, "monitor").dashboard() : notFound();
            case "alerts" -> p.size() == 1 ? need(monitor, "monitor").alerts() : notFound();
            case "drift" -> p.size() == 1 ? need(monitor, "monitor").drift() : notFound();
            default -> notFound();
        };
        return new Outcome(200, html, null);
    }

    /** The token a request presents: Bearer, or HTTP Basic's password; null without one. */
    static String presented(Request request) {
        return io.mlops.core.AccessTokens.presented(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    }

    private String modelPage(List<String> p) {
        ModelPages m = need(models, "registry");
        if (p.size() == 1) {
            return m.models();
        }
        if (p.size() == 2) {
            return m.model(p.get(1));
        }
        if (p.size() == 4 && p.get(2).equals("versions")) {
            return m.version(p.get(1), p.get(3));
        }
        if (p.size() == 4 && p.get(2).equals("aliases")) {
            return m.alias(p.get(1), p.get(3));
        }
        if (p.size() == 5 && p.get(2).equals("versions") && p.get(4).equals("card")) {
            return m.card(p.get(1), p.get(3));
        }
        return notFound();
    }

    private String dataPage(List<String> p, Map<String, String> query) {
        DataPages d = need(data, "data");
        if (p.size() == 1) {
            return d.datasets();
        }
        if (p.size() == 2) {
            return d.dataset(p.get(1));
        }
        if (p.size() == 4 && p.get(2).equals("versions")) {
            return d.version(p.get(1), p.get(3));
        }
        if (p.size() == 3 && p.get(2).equals("diff")) {
            return d.diff(p.get(1), query.get("a"), query.get("b"), query.get("key"));
        }
        return notFound();
    }

    private static <T> T need(T pages, String what) {
        if (pages == null) {
            throw new PageError(404, "This console was started without a " + what);
        }
        return pages;
    }

    private static String notFound() {
        throw new PageError(404, "No such page");
    }

    private String overview() {
        StringBuilder b = new StringBuilder("<ul>");
        if (settings.registry() != null) {
            b.append("<li>").append(Html.a("/models", settings.registry().models().size() + " models")).append("</li>");
        }
        if (settings.data() != null) {
            b.append("<li>").append(Html.a("/datasets", settings.data().names().size() + " datasets")).append("</li>");
        }
        if (settings.monitor() != null) {
            int alerts = settings.monitor().activeAlerts().size();
            b.append("<li>").append(Html.a("/monitor", "the monitor's dashboard")).append("</li><li>")
                    .append(Html.a("/alerts", alerts + " active alerts")).append(alerts > 0 ? " <span class=\"bad\">!</span>" : "")
                    .append("</li>");
        }
        b.append("</ul><p class=\"muted\">").append(!settings.tokens().grants(io.mlops.core.AccessTokens.Role.DEPLOYER)
                ? "Read-only." : "Alias moves, rollbacks and approvals need a deployer's token.").append("</p>");
        return Html.page("Overview", b.toString());
    }

    /** The path's segments, each percent-decoded; an empty list for "/". */
    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                try {
                    out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new PageError(400, "Malformed path");
                }
            }
        }
        return out;
    }

    private static Map<String, String> query(Request request) {
        Map<String, String> out = new HashMap<>();
        String q = request.getHttpURI().getQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                try {
                    String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    out.putIfAbsent(k, v);
                } catch (IllegalArgumentException e) {
                    throw new PageError(400, "Malformed query");
                }
            }
        }
        return out;
    }

    private static Map<String, String> form(Request request) {
        Fields fields;
        try {
            fields = FormFields.getFields(request, 16, 16_384);
        } catch (RuntimeException e) {
            throw new PageError(400, "The form could not be read (at most 16 fields, 16 KiB)");
        }
        Map<String, String> out = new HashMap<>();
        for (Fields.Field f : fields) {
            out.put(f.getName(), f.getValue());
        }
        return out;
    }
}
