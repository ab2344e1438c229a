package io.github.sqsappender.samples;

import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.apache.logging.log4j.LogManager;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one-command demo: an application logs a burst through Log4j2 and Logback (configured by the
 * {@code log4j2.xml} and {@code logback.xml} next to this class), both appenders ship to an SQS
 * queue — an embedded ElasticMQ server on loopback unless {@code --queue-url} names a real one —
 * and {@link Tail} reads everything back and measures it.
 *
 * <pre>
 * ./demo.sh [--events 6000] [--threads 8] [--queue-url URL] [--region R] [--receivers 4]
 * </pre>
 *
 * Exits 0 only when every logged event was received.
 */
public final class Demo {

    private static final int OVERSIZE_BYTES = 2 * 1024 * 1024;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        // SLF4J notes (harmlessly) that the SDK logged while Logback was still initializing.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(run(new Args(args), System.out));
    }

    /** Runs the demo; returns the process exit code. */
    static int run(Args args, PrintStream out) throws Exception {
        int events = Integer.parseInt(args.value("--events", "6000"));
        int threads = Integer.parseInt(args.value("--threads", "8"));
        int receivers = Integer.parseInt(args.value("--receivers", "4"));
        String queueUrl = args.value("--queue-url", null);
        EmbeddedSqs server = null;
        if (queueUrl == null) {
            // Dummy credentials: the embedded server accepts any; nothing here can reach AWS.
            setIfAbsent("aws.accessKeyId", "demo");
            setIfAbsent("aws.secretAccessKey", "demo");
            setIfAbsent("aws.region", "us-east-1");
            setIfAbsent("aws.disableEc2Metadata", "true");
            int port = EmbeddedSqs.freePort();
            queueUrl = "http://127.0.0.1:" + port + "/000000000000/demo-logs";
            System.setProperty("demo.queueUrl", queueUrl); // before either framework reads its XML
            LoggerFactory.getILoggerFactory(); // initialize SLF4J before the server starts logging through it
            server = EmbeddedSqs.startOn(port);
            server.createQueue("demo-logs");
        } else {
            System.setProperty("demo.queueUrl", queueUrl);
        }
        try {
            return runAgainst(queueUrl, server != null, events, threads, receivers, args, out);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static int runAgainst(String queueUrl, boolean embedded, int events, int threads, int receivers,
                                  Args args, PrintStream out) throws Exception {
        out.printf("sqs-appender demo: %,d events from %d threads through Log4j2 and Logback%n", events, threads);
        out.printf("  queue: %s%s%n", queueUrl, embedded ? "  (embedded ElasticMQ on loopback)" : "");

        // Load both shipped configurations explicitly, now that demo.queueUrl is known.
        org.apache.logging.log4j.core.LoggerContext log4jContext =
                (org.apache.logging.log4j.core.LoggerContext) LogManager.getContext(false);
        log4jContext.setConfigLocation(Demo.class.getResource("/log4j2.xml").toURI());
        ch.qos.logback.classic.LoggerContext logbackContext = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
        logbackContext.reset();
        ch.qos.logback.classic.joran.JoranConfigurator joran = new ch.qos.logback.classic.joran.JoranConfigurator();
        joran.setContext(logbackContext);
        joran.doConfigure(Demo.class.getResource("/logback.xml"));
        org.apache.logging.log4j.Logger log4j = log4jContext.getLogger("demo.Checkout");
        org.slf4j.Logger logback = LoggerFactory.getLogger("demo.Payments");

        Stats stats = new Stats();
        SqsAsyncClient client = Tail.client(queueUrl, args.value("--region", null), args.value("--endpoint", null));
        Tail tail = new Tail(client, queueUrl, receivers, true, 1);
        long expected = events + 1L; // + the oversize event
        Thread consumer = new Thread(() -> {
            try {
                tail.run(expected, Duration.ofSeconds(30), stats::record, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-tail");
        consumer.start();

        AtomicLong logged = new AtomicLong();
        Progress progress = new Progress(out, expected, logged, tail);
        progress.start();
        long start = System.nanoTime();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        int perThread = events / threads;
        for (int t = 0; t < threads; t++) {
            int id = t;
            int count = t == threads - 1 ? events - perThread * (threads - 1) : perThread;
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < count; i++) {
                    logOne(id, i, log4j, logback);
                    logged.incrementAndGet();
                }
            }, "app-worker-" + t);
            workers.add(worker);
            worker.start();
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        log4j.info("oversize event: {}", "x".repeat(OVERSIZE_BYTES)); // truncated to the queue's limit
        logged.incrementAndGet();
        long loggedNanos = System.nanoTime() - start;

        io.github.sqsappender.log4j2.SqsAppender log4jAppender = log4jContext.getConfiguration().getAppender("SQS-log4j2");
        io.github.sqsappender.logback.SqsAppender logbackAppender = (io.github.sqsappender.logback.SqsAppender)
                logbackContext.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("SQS-logback");
        SqsAppenderMetrics log4jMetrics = log4jAppender.getMetrics();
        SqsAppenderMetrics logbackMetrics = logbackAppender.getMetrics();
        // A short-lived job flushes before it exits (as a Lambda handler would), then shuts down
        // each framework normally; the shutdown alone would wait at most shutdownTimeoutMs.
        log4jAppender.flush(60_000);
        logbackAppender.flush(60_000);
        LogManager.shutdown(log4jContext);
        logbackContext.stop();

        consumer.join();
        long totalNanos = System.nanoTime() - start;
        progress.finish();
        String depthAfter = tail.approximateDepth();
        client.close();

        long received = tail.received();
        long requests = log4jMetrics.getBatchRequests() + logbackMetrics.getBatchRequests();
        long billed = log4jMetrics.getBilledRequestUnits() + logbackMetrics.getBilledRequestUnits();
        out.println();
        out.printf("  logged     log4j2 %,d + logback %,d = %,d events (incl. %,d WARN, %,d ERROR with stack traces, 1 oversize)%n",
                log4jMetrics.getEventsAppended(), logbackMetrics.getEventsAppended(), logged.get(),
                stats.warn.get(), stats.error.get());
        out.printf("  received   %,d of %,d   (log4j2 %,d, logback %,d, truncated %d)%n", received, logged.get(),
                stats.fromLog4j2.get(), stats.fromLogback.get(),
                log4jMetrics.getEventsTruncated() + logbackMetrics.getEventsTruncated());
        out.printf("  requests   %,d SendMessageBatch, %,d billed 64 KiB units (one SendMessage per event: %,d)%n",
                requests, billed, logged.get());
        out.printf("  speed      burst logged in %.2f s; all received after %.2f s: %,.0f events/s end to end%n",
                loggedNanos / 1e9, totalNanos / 1e9, received / (totalNanos / 1e9));
        out.printf("  latency    log call -> received: p50 %,d ms, p99 %,d ms%n", stats.percentile(50), stats.percentile(99));
        boolean ok = received == logged.get();
        out.println(ok ? "  OK: every logged event was received."
                : "  FAILED: events are missing (the queue still holds ~" + depthAfter + " messages).");
        return ok ? 0 : 1;
    }

    private static void logOne(int thread, int i, org.apache.logging.log4j.Logger log4j, org.slf4j.Logger logback) {
        boolean viaLog4j = (i & 1) == 0;
        if (i % 400 == 200) {
            IllegalStateException failure = new IllegalStateException("payment gateway timeout (demo)");
            if (viaLog4j) {
                log4j.error("order {}-{} failed", thread, i, failure);
            } else {
                logback.error("payment {}-{} failed", thread, i, failure);
            }
        } else if (i % 100 == 50) {
            if (viaLog4j) {
                log4j.warn("order {}-{} slow: {} ms", thread, i, 1_200 + i % 300);
            } else {
                logback.warn("payment {}-{} slow: {} ms", thread, i, 1_200 + i % 300);
            }
        } else if (viaLog4j) {
            log4j.info("order {}-{} placed, {} items", thread, i, 1 + i % 7);
        } else {
            logback.info("payment {}-{} captured, {} EUR", thread, i, 10 + i % 90);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** What the consumer saw. Thread-safe: receivers call {@link #record} concurrently. */
    static final class Stats {
        final AtomicLong fromLog4j2 = new AtomicLong();
        final AtomicLong fromLogback = new AtomicLong();
        final AtomicLong warn = new AtomicLong();
        final AtomicLong error = new AtomicLong();
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

        void record(Message message, long receivedAtMillis) {
            String body = message.body();
            (body.startsWith("[log4j2]") ? fromLog4j2 : fromLogback).incrementAndGet();
            MessageAttributeValue level = message.messageAttributes().get("level");
            if (level != null && level.stringValue().equals("WARN")) {
                warn.incrementAndGet();
            } else if (level != null && level.stringValue().equals("ERROR")) {
                error.incrementAndGet();
            }
            MessageAttributeValue timestamp = message.messageAttributes().get("timestamp");
            if (timestamp != null) {
                latencies.add(receivedAtMillis - Long.parseLong(timestamp.stringValue()));
            }
        }

        long percentile(int p) {
            List<Long> sorted = new ArrayList<>(latencies);
            if (sorted.isEmpty()) {
                return -1;
            }
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }
    }

    /** A one-line progress bar on a terminal; silent when the output is not one. */
    static final class Progress extends Thread {
        private final PrintStream out;
        private final long expected;
        private final AtomicLong logged;
        private final Tail tail;
        private final boolean terminal = System.console() != null;
        private volatile boolean done;

        Progress(PrintStream out, long expected, AtomicLong logged, Tail tail) {
            super("demo-progress");
            setDaemon(true);
            this.out = out;
            this.expected = expected;
            this.logged = logged;
            this.tail = tail;
        }

        @Override
        public void run() {
            while (!done && terminal) {
                draw();
                try {
                    Thread.sleep(100); // a display refresh rate, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void draw() {
            long received = tail.received();
            int width = 30;
            int filled = (int) (width * received / Math.max(1, expected));
            out.printf("\r  logged %,7d  received %,7d / %,d  [%s%s] %3d%%", logged.get(), received, expected,
                    "#".repeat(filled), ".".repeat(width - filled), 100 * received / Math.max(1, expected));
        }

        void finish() throws InterruptedException {
            done = true;
            join();
            if (terminal) {
                draw();
            }
        }
    }
}
