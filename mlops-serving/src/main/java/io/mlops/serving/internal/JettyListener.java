package io.mlops.serving.internal;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one way a server of ours listens (a single model's, or the front of many): request threads
 * plus Jetty's acceptor and selector, no version headers, header caching that tells
 * {@code Bearer token} from {@code Bearer TOKEN}, idle timeouts, the per-client connection limit,
 * JSON error pages. The caller starts it.
 */
final class JettyListener {

    private JettyListener() {
    }

    /**
     * @return a server, not started, whose only connector is {@code server.getConnectors()[0]}
     */
    static Server create(ServerSettings.Listener l, Handler handler) {
        QueuedThreadPool pool = new QueuedThreadPool(l.threads() + 2, Math.min(l.threads() + 2, 4), 60_000);
        pool.setName("mlops-serving");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        Server jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty's parser caches header fields and matches them case-insensitively by default: a cached
        // "Authorization: Bearer token" would stand in for "Bearer TOKEN" on the same connection
        http.setHeaderCacheCaseSensitive(true);
        http.setIdleTimeout(l.idleTimeout().toMillis());
        ServerConnector c = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        c.setHost(l.host());
        c.setPort(l.port());
        c.setIdleTimeout(l.idleTimeout().toMillis());
        c.setAcceptQueueSize(1024);
        if (l.maxConnectionsPerClient() > 0) {
            c.addBean(new ClientConnectionLimit(l.maxConnectionsPerClient()));
        }
        jetty.addConnector(c);
        jetty.setHandler(handler);
        jetty.setErrorHandler(new JsonErrorHandler());
        return jetty;
    }
}
