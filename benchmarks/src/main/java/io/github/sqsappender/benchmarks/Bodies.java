package io.github.sqsappender.benchmarks;

/**
 * Log lines that look like a real application's, for every contender alike: the epoch millis of
 * the logging call (for latency), a timestamp, level, thread, logger, and a message with numbers,
 * ids and varied words, padded with more words to the requested size; one event in fifty carries
 * a stack trace. Repeated filler would compress ~50× and make gzip figures meaningless; these
 * compress about as real application logs do. Deterministic per sequence number; thread-safe.
 */
final class Bodies {

    private static final String[] LEVELS = {"INFO ", "INFO ", "INFO ", "DEBUG", "WARN "};
    private static final String[] LOGGERS = {"c.e.shop.OrderService", "c.e.shop.PaymentGateway", "c.e.cart.CartController",
        "c.e.inventory.StockClient", "c.e.auth.TokenFilter", "o.a.kafka.clients.NetworkClient", "c.e.search.QueryPlanner"};
    private static final String[] WORDS = {"order", "placed", "customer", "payment", "captured", "retry", "timeout",
        "cache", "miss", "hit", "latency", "shipment", "warehouse", "token", "refreshed", "session", "expired",
        "request", "completed", "rejected", "quota", "partition", "rebalanced", "invoice", "generated", "discount",
        "applied", "user", "profile", "updated", "index", "query", "planned", "rows", "scanned", "connection",
        "pool", "exhausted", "circuit", "opened", "closed", "fallback", "used", "region", "replica", "lagging"};
    private static final String TRACE = "\njava.lang.IllegalStateException: upstream returned 503 for request %s"
            + "\n\tat com.example.shop.PaymentGateway.charge(PaymentGateway.java:%d)"
            + "\n\tat com.example.shop.OrderService.checkout(OrderService.java:%d)"
            + "\n\tat com.example.web.CheckoutController.post(CheckoutController.java:57)"
            + "\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)"
            + "\n\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)"
            + "\n\tat org.eclipse.jetty.server.handler.HandlerWrapper.handle(HandlerWrapper.java:127)";

    private Bodies() {
    }

    /** The body of event {@code seq}, about {@code bytes} long (longer with a stack trace). */
    static String line(long seq, int bytes, long nowMillis) {
        long h = mix(seq);
        StringBuilder sb = new StringBuilder(bytes + 64);
        sb.append(nowMillis).append('|').append(java.time.Instant.ofEpochMilli(nowMillis)).append(' ')
                .append(LEVELS[(int) (h & 3) + (seq % 97 == 0 ? 1 : 0)]).append(" [app-").append(h >>> 60).append("] ")
                .append(LOGGERS[(int) ((h >>> 8) % LOGGERS.length)]).append(" - ")
                .append(WORDS[(int) ((h >>> 16) % WORDS.length)]).append(' ').append(seq).append(' ')
                .append(WORDS[(int) ((h >>> 24) % WORDS.length)]).append(" id=").append(Long.toHexString(h >>> 20))
                .append(" took ").append((h >>> 40) % 2_000).append(" ms");
        long k = h;
        while (sb.length() < bytes) {
            k = mix(k);
            sb.append(' ').append(WORDS[(int) ((k >>> 33) % WORDS.length)]);
            if ((k & 7) == 0) {
                sb.append('=').append(k >>> 50);
            }
        }
        sb.setLength(Math.max(bytes, 40));
        if (seq % 50 == 25) {
            sb.append(String.format(TRACE, Long.toHexString(h), 100 + (h >>> 54), 200 + (h >>> 56)));
        }
        return sb.toString();
    }

    private static long mix(long x) {
        long z = x * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
