package io.github.sqsappender.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay that can reset every open connection (SO_LINGER 0, so the peer gets a
 * real RST mid-request) — the "connection reset by peer" fault that an HTTP-level proxy cannot make.
 */
public final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public TcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Resets every connection open right now; new connections are relayed normally. */
    public int resetAll() {
        int n = 0;
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
                n++;
            } catch (IOException ignored) {
                // already gone
            }
        }
        return n;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side closed or was reset
            } finally {
                open.remove(from);
                open.remove(to);
                try {
                    to.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }, "tcp-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        resetAll();
    }
}
