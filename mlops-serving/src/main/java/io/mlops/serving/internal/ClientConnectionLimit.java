package io.mlops.serving.internal;

import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the connections one client address holds open: a connection beyond the cap is closed as
 * soon as it is opened, so that one client cannot use up the server's file descriptors. A bean of
 * the connector, told of every connection's opening and closing. Thread-safe.
 */
final class ClientConnectionLimit implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnectionLimit.class);

    private final int max;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Connection, InetAddress> clients = new ConcurrentHashMap<>();

    ClientConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = client(connection);
        if (client == null) {
            return;
        }
        clients.put(connection, client); // a closed channel no longer knows its peer
        int now = open.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
        if (now > max) {
            LOG.debug("Closing a connection from {}: it holds {} already", client, max);
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress client = clients.remove(connection);
        if (client == null) {
            return;
        }
        open.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private static InetAddress client(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getAddress() : null;
    }
}
