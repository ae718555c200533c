package io.mlops.serving.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's endpoints, each registered once: its name (for the metrics), method, path, whether
 * it needs the bearer token and a body, and its handler. {@link JettyModelServer} matches a request
 * here and checks method and token in one place, for every endpoint. Immutable once built;
 * thread-safe.
 */
final class Routes {

    /**
     * What an endpoint answers: JSON (maps, lists, values) or raw bytes, and the model version that
     * produced it (for the metrics), when one did.
     *
     * @param status the HTTP status
     * @param json the JSON body, or null when {@code raw} is given
     * @param raw raw bytes, or null
     * @param contentType the raw bytes' type
     * @param version the model version that answered, or null
     */
    record Reply(int status, Object json, byte[] raw, String contentType, String version) {
        static Reply json(int status, Object body) {
            return new Reply(status, body, null, null, null);
        }

        static Reply json(Object body, String version) {
            return new Reply(200, body, null, null, version);
        }

        static Reply raw(String contentType, byte[] bytes) {
            return new Reply(200, null, bytes, contentType, null);
        }
    }

    /**
     * One request as its handler sees it.
     *
     * @param groups the path's groups (the model and version of {@code /v2/models/...}), null where absent
     * @param body the body (endpoints that take one), else null
     * @param started when the request began (System.nanoTime)
     */
    record Call(List<String> groups, RequestBody body, long started) {
        String group(int i) {
            return groups.get(i - 1);
        }
    }

    /** What an endpoint does. */
    interface Handler {
        Reply handle(Call call) throws HttpError;
    }

    /** One endpoint. */
    record Route(String endpoint, String method, Pattern path, boolean authorized, boolean body, Handler handler) {
    }

    /** A route and the groups of the path it matched. */
    record Match(Route route, List<String> groups) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a GET endpoint without a body; {@code path} is a regular expression of the whole path. */
    Routes get(String endpoint, String path, boolean authorized, Handler handler) {
        routes.add(new Route(endpoint, "GET", Pattern.compile(path), authorized, false, handler));
        return this;
    }

    /** Adds a POST endpoint whose body is read (without holding a thread) before its handler runs. */
    Routes post(String endpoint, String path, boolean authorized, Handler handler) {
        routes.add(new Route(endpoint, "POST", Pattern.compile(path), authorized, true, handler));
        return this;
    }

    /** The route of a path, or empty (404). */
    Optional<Match> match(String path) {
        for (Route r : routes) {
            Matcher m = r.path().matcher(path);
            if (m.matches()) {
                List<String> groups = new ArrayList<>(m.groupCount());
                for (int i = 1; i <= m.groupCount(); i++) {
                    groups.add(m.group(i));
                }
                return Optional.of(new Match(r, java.util.Collections.unmodifiableList(groups)));
            }
        }
        return Optional.empty();
    }
}
