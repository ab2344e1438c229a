package io.github.sqsappender.benchmarks;

import java.time.Instant;

/**
 * Log lines that look like a real application's, for every contender alike: the epoch millis of
 * the logging call (for latency), then a timestamp, level, thread, logger and a message from one
 * of a few dozen templates filled with numbers, ids, paths and varied words; one event in fifty
 * carries a stack trace. Their average length is the requested size, stack traces included.
 * Repeated filler would compress ~50× and make gzip figures meaningless; these compress about as
 * application logs do (real ones are reported at 9–14× with gzip; these about 6–8×).
 *
 * <p>A pool of 4,096 distinct lines is built once, so that making a body costs the benchmark almost
 * nothing (one concatenation) and every contender pays the same. The pool is far larger than
 * gzip's 32 KiB window, so the repetition is invisible to compression. Thread-safe.
 */
final class Bodies {

    private static final int POOL = 4_096;
    private static final String[] LEVELS = {"INFO ", "INFO ", "INFO ", "INFO ", "DEBUG", "WARN "};
    private static final String[] THREADS = {"http-nio-8080-exec-1", "http-nio-8080-exec-7", "kafka-consumer-2",
        "scheduler-3", "ForkJoinPool.commonPool-worker-5", "main", "grpc-default-executor-12"};
    private static final String[] LOGGERS = {"c.e.shop.OrderService", "c.e.shop.PaymentGateway", "c.e.cart.CartController",
        "c.e.inventory.StockClient", "c.e.auth.TokenFilter", "o.a.kafka.clients.NetworkClient", "c.e.search.QueryPlanner"};
    private static final String[] TEMPLATES = {
        "Completed GET /api/orders/%d in %d ms status=200 bytes=%d",
        "Completed POST /api/cart/%s/items in %d ms status=201",
        "Order %d placed by customer c%d: %d items, total %d.%02d EUR",
        "Payment %s captured for order %d via %s in %d ms",
        "Cache miss for product p%d, loaded from %s in %d ms",
        "Retrying request %s to %s (attempt %d of 5) after %d ms",
        "User u%d logged in from %d.%d.%d.%d using %s",
        "Stock reserved: sku=%s qty=%d warehouse=%s remaining=%d",
        "Kafka offset committed: topic=%s partition=%d offset=%d",
        "Query planned in %d ms: %d rows scanned, index %s used",
        "Token refreshed for session %s, expires in %d s",
        "Slow response from %s: %d ms (threshold 500 ms) for %s",
        "Invoice %s generated for order %d, %d pages, sent to %s",
        "Circuit %s opened after %d failures in %d s, fallback %s",
        "Shipment %s handed to %s, tracking %s, eta %d days",
        "Discount %s applied to cart %s: -%d.%02d EUR (%s)",
    };
    private static final String[] WORDS = {"orders-db", "payments-api", "inventory-svc", "eu-west-1", "us-east-1",
        "VISA", "MASTERCARD", "PAYPAL", "idx_orders_customer", "idx_sku", "DHL", "UPS", "FEDEX", "WINTER24",
        "LOYALTY", "FIRST_ORDER", "checkout", "search", "recommendations", "Chrome/131", "Firefox/133", "Safari/18",
        "orders", "payments", "clickstream", "audit", "warehouse-7", "warehouse-12", "billing@example.com", "ops@example.com"};
    private static final String TRACE = "\njava.lang.IllegalStateException: upstream returned 503 for request %s"
            + "\n\tat com.example.shop.PaymentGateway.charge(PaymentGateway.java:%d)"
            + "\n\tat com.example.shop.OrderService.checkout(OrderService.java:%d)"
            + "\n\tat com.example.web.CheckoutController.post(CheckoutController.java:57)"
            + "\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)"
            + "\n\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)"
            + "\n\tat org.eclipse.jetty.server.handler.HandlerWrapper.handle(HandlerWrapper.java:127)";
    private static final int TRACE_BYTES = String.format(TRACE, "0123456789abcdef", 100, 200).length();

    private static final java.util.Map<Integer, String[]> POOLS = new java.util.concurrent.ConcurrentHashMap<>();

    private Bodies() {
    }

    /** The body of event {@code seq}: {@code nowMillis|} and a line of the pool for {@code bytes}. */
    static String line(long seq, int bytes, long nowMillis) {
        String[] pool = POOLS.computeIfAbsent(bytes, Bodies::pool);
        return nowMillis + "|" + pool[(int) (seq % POOL)];
    }

    private static String[] pool(int bytes) {
        String[] pool = new String[POOL];
        long start = 1_796_116_000_000L;
        // Lines without a trace are a little shorter, so that the average (traces included) is the size asked for.
        int plain = Math.max(60, bytes - 14 - TRACE_BYTES / 50);
        for (int i = 0; i < POOL; i++) {
            long h = mix(i);
            StringBuilder sb = new StringBuilder(bytes + TRACE_BYTES);
            sb.append(Instant.ofEpochMilli(start + i * 37L + (h & 31))).append(' ').append(LEVELS[(int) ((h >>> 8) % LEVELS.length)])
                    .append(" [").append(THREADS[(int) ((h >>> 12) % THREADS.length)]).append("] ")
                    .append(LOGGERS[(int) ((h >>> 16) % LOGGERS.length)]).append(" - ");
            long k = h;
            while (sb.length() < plain) {
                k = mix(k);
                sb.append(fill(TEMPLATES[(int) ((k >>> 20) % TEMPLATES.length)], k)).append(". ");
            }
            sb.setLength(plain);
            if (i % 50 == 25) {
                sb.append(String.format(TRACE, Long.toHexString(h), 100 + (h >>> 56), 200 + (h >>> 57)));
            }
            pool[i] = sb.toString();
        }
        return pool;
    }

    private static String fill(String template, long seed) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        long k = seed;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            k = mix(k);
            char kind = template.charAt(++i);
            if (kind == '0') { // %02d
                i += 2;
                out.append(String.format("%02d", (k >>> 40) % 100));
            } else if (kind == 'd') {
                out.append((k >>> 35) % (((k >>> 10) & 3) == 0 ? 100 : 100_000));
            } else { // %s: a word or an id
                out.append(((k >>> 12) & 1) == 0 ? WORDS[(int) ((k >>> 20) % WORDS.length)] : Long.toHexString(k >>> 28));
            }
        }
        return out.toString();
    }

    private static long mix(long x) {
        long z = x * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
