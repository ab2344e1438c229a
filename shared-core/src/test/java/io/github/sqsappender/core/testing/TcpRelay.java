package io.github.sqsappender.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of a server, with the faults an HTTP-level proxy cannot make:
 * <ul>
 *   <li>{@link #resetAll} resets every open connection (SO_LINGER 0, so the peer gets a real RST
 *       mid-request);</li>
 *   <li>{@link #hold} keeps every byte, in both directions and on new connections too, until
 *       {@link #release}: a server that accepts and never answers, for as long as a test needs,
 *       with no timeout involved; {@link #heldRequestBytes} says that a request is being held;</li>
 *   <li>{@link #refuse} resets every connection, open or new, until {@link #restore}: an outage.</li>
 * </ul>
 * Any thread may call any method.
 */
public final class TcpRelay implements AutoCloseable {

    private static final CountDownLatch OPEN = new CountDownLatch(0);

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong heldRequestBytes = new AtomicLong();
    private volatile CountDownLatch gate = OPEN; // a pump waits on it before it forwards what it read
    private volatile boolean refusing;
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
            reset(socket);
            n++;
        }
        return n;
    }

    /** From now on nothing is forwarded, either way, until {@link #release} (or {@link #refuse}). */
    public synchronized void hold() {
        if (gate.getCount() == 0) {
            heldRequestBytes.set(0);
            gate = new CountDownLatch(1);
        }
    }

    /** Forwards everything held, and whatever comes next. */
    public synchronized void release() {
        gate.countDown();
        gate = OPEN;
    }

    /** The bytes clients sent while held, since the last {@link #hold}: positive once a request is being held. */
    public long heldRequestBytes() {
        return heldRequestBytes.get();
    }

    /** Resets every open connection, held ones included, and every new one, until {@link #restore}. */
    public synchronized void refuse() {
        refusing = true;
        resetAll();
        release(); // the held pumps find their sockets reset, and end
    }

    /** Relays new connections again after {@link #refuse}. */
    public void restore() {
        refusing = false;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    reset(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    CountDownLatch held = gate;
                    if (held.getCount() > 0) {
                        if (request) {
                            heldRequestBytes.addAndGet(n);
                        }
                        held.await();
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side closed or was reset
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        refuse();
    }
}
