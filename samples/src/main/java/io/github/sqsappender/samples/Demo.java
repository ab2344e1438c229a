package io.github.sqsappender.samples;

import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.testing.EmbeddedS3;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.apache.logging.log4j.LogManager;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one-command demo: an application logs a burst through Log4j2 and Logback (configured by the
 * {@code log4j2.xml} and {@code logback.xml} next to this class), both appenders ship to an SQS
 * queue — an embedded ElasticMQ server on loopback unless {@code --queue-url} names a real one —
 * and {@link Tail} reads everything back and measures it.
 *
 * The same burst is shipped three ways — one event per message, packed, packed + gzip — each
 * into a queue of its own, and one line per way compares what it cost.
 *
 * <pre>
 * ./demo.sh [--events 6000] [--threads 8] [--queue-url URL] [--region R] [--receivers 4] [--help]
 * </pre>
 *
 * Exits 0 only when every logged event was received in every mode, 2 on a usage error.
 */
public final class Demo {

    private static final int OVERSIZE_BYTES = 2 * 1024 * 1024;
    private static final String OFFLOAD_BUCKET = "demo-offload";
    private static boolean offloadedIntact = true;

    private Demo() {
    }

    static final String USAGE = "usage: demo.sh [options]\n"
            + "  Logs a burst through Log4j2 and Logback into SQS (an embedded ElasticMQ on loopback unless\n"
            + "  --queue-url names a real queue), three times: one event per message, packed, packed + gzip;\n"
            + "  reads everything back with tail and compares requests, billed units, time and latency.\n"
            + "  --events N        events per round (default 6000)\n"
            + "  --threads N       application threads (default 8)\n"
            + "  --receivers N     tail receivers (default 4)\n"
            + "  --queue-url URL   a real queue (default credentials) instead of the embedded server\n"
            + "  --region R        its region\n"
            + "  --endpoint URL    endpoint override\n"
            + "  --s3-bucket B     with --queue-url: offload events over the queue's limit to this bucket\n"
            + "                    (embedded mode always offloads, to an embedded S3 server)\n"
            + "  --help            this text\n";

    /** One way of shipping the same burst. */
    record Mode(String label, String packing, String compression, String messageAttributes) {
    }

    static final List<Mode> MODES = List.of(
            new Mode("one event per message", "none", "none", "level,logger,timestamp,host"),
            new Mode("packed (ndjson)", "ndjson", "none", "host"),
            new Mode("packed + gzip", "ndjson", "gzip", "host"));

    public static void main(String[] args) throws Exception {
        // SLF4J notes (harmlessly) that the SDK logged while Logback was still initializing.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(run(args, System.out));
    }

    /** Runs the demo; returns the process exit code (0 all received, 1 something missing, 2 usage error). */
    static int run(String[] argv, PrintStream out) throws Exception {
        Args args;
        int events;
        int threads;
        int receivers;
        try {
            args = new Args(argv, Set.of("--events", "--threads", "--receivers", "--queue-url", "--region", "--endpoint", "--s3-bucket"), Set.of());
            if (args.wantsHelp()) {
                out.print(USAGE);
                return 0;
            }
            events = (int) args.number("--events", 6000);
            threads = (int) args.number("--threads", 8);
            receivers = (int) args.number("--receivers", 4);
            if (events < threads || threads < 1 || receivers < 1) {
                throw new Args.UsageException("--events must be at least --threads, and both --threads and --receivers at least 1");
            }
        } catch (Args.UsageException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        String queueUrl = args.value("--queue-url", null);
        EmbeddedSqs server = null;
        EmbeddedS3 s3server = null;
        if (queueUrl != null && args.value("--s3-bucket", null) != null) {
            System.setProperty("demo.largeMessagePolicy", "s3");
            System.setProperty("demo.s3Bucket", args.value("--s3-bucket", null));
        }
        if (queueUrl == null) {
            // Dummy credentials: the embedded server accepts any; nothing here can reach AWS.
            setIfAbsent("aws.accessKeyId", "demo");
            setIfAbsent("aws.secretAccessKey", "demo");
            setIfAbsent("aws.region", "us-east-1");
            setIfAbsent("aws.disableEc2Metadata", "true");
            int port = EmbeddedSqs.freePort();
            // The first round's queue, so that Logback's first (automatic) configuration is valid too.
            System.setProperty("demo.queueUrl", "http://127.0.0.1:" + port + "/000000000000/demo-none-none");
            LoggerFactory.getILoggerFactory(); // initialize SLF4J before the server starts logging through it
            server = EmbeddedSqs.startOn(port);
            // Beside the SQS server, an S3-compatible one: the 2 MiB event is offloaded and read back.
            // (Started after SLF4J: its client logs, and Logback's first configuration needs demo.queueUrl.)
            s3server = EmbeddedS3.start().createBucket(OFFLOAD_BUCKET);
            System.setProperty("demo.largeMessagePolicy", "s3");
            System.setProperty("demo.s3Bucket", OFFLOAD_BUCKET);
            System.setProperty("demo.s3Endpoint", s3server.endpoint());
        }
        try {
            out.printf("sqs-appender demo: %,d events from %d threads through Log4j2 and Logback, three ways%n", events, threads);
            out.printf("  queue: %s%n", server != null ? server.endpoint() + "  (embedded ElasticMQ on loopback, one queue per round)"
                    : queueUrl);
            String bucket = System.getProperty("demo.s3Bucket");
            out.printf("  large events: %s%n%n", bucket == null ? "truncated to the queue's limit (add --s3-bucket to offload)"
                    : "offloaded to s3://" + bucket + (s3server != null ? " on " + s3server.endpoint() + " (embedded S3 server, s3proxy)" : ""));
            out.printf("  %-22s %9s %9s %9s %9s %9s %10s %9s %9s%n", "mode", "logged", "received", "messages", "requests",
                    "billed", "all in", "p50 ms", "p99 ms");
            boolean ok = true;
            for (Mode mode : MODES) {
                String url = server != null ? server.createQueue("demo-" + mode.packing() + "-" + mode.compression()) : queueUrl;
                ok &= runOnce(mode, url, events, threads, receivers, args, out);
            }
            out.println();
            if (System.getProperty("demo.s3Bucket") != null) {
                out.printf("  the %,d-byte event went to S3 in every mode and came back intact through its pointer: %s%n",
                        OVERSIZE_BYTES, offloadedIntact ? "yes" : "NO");
                ok &= offloadedIntact;
            }
            out.println(ok ? "  OK: every logged event was received, in every mode."
                    : "  FAILED: events are missing (see the received column).");
            return ok ? 0 : 1;
        } finally {
            if (server != null) {
                server.close();
            }
            if (s3server != null) {
                s3server.close();
            }
        }
    }

    private static boolean runOnce(Mode mode, String queueUrl, int events, int threads, int receivers, Args args,
                                   PrintStream out) throws Exception {
        // Both shipped configurations read these (see log4j2.xml and logback.xml).
        System.setProperty("demo.queueUrl", queueUrl);
        System.setProperty("demo.packing", mode.packing());
        System.setProperty("demo.compression", mode.compression());
        System.setProperty("demo.messageAttributes", mode.messageAttributes());
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
        software.amazon.awssdk.services.s3.S3AsyncClient s3 = System.getProperty("demo.s3Bucket") == null ? null
                : Tail.s3Client(queueUrl, args.value("--region", null), System.getProperty("demo.s3Endpoint"));
        if (s3 != null) {
            tail.resolvingPointersWith(s3);
        }
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
        log4j.info("oversize event t={} {}", System.currentTimeMillis(), "x".repeat(OVERSIZE_BYTES)); // over the limit: to S3 (truncated without S3)
        logged.incrementAndGet();

        io.github.sqsappender.log4j2.SqsAppender log4jAppender = log4jContext.getConfiguration().getAppender("SQS-log4j2");
        io.github.sqsappender.logback.SqsAppender logbackAppender = (io.github.sqsappender.logback.SqsAppender)
                logbackContext.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("SQS-logback");
        SqsAppenderMetrics log4jMetrics = log4jAppender.getMetrics();
        SqsAppenderMetrics logbackMetrics = logbackAppender.getMetrics();
        // A short-lived job flushes before it exits (as a Lambda handler would).
        log4jAppender.flush(60_000);
        logbackAppender.flush(60_000);
        consumer.join();
        long totalNanos = System.nanoTime() - start;
        client.close();
        if (s3 != null) {
            s3.close();
            offloadedIntact &= stats.oversizeIntact.get() && tail.resolvedPointers() == 1
                    && log4jMetrics.getEventsOffloaded() == 1;
        }

        long received = tail.events();
        out.printf("  %-22s %,9d %,9d %,9d %,9d %,9d %8.2f s %,9d %,9d%n", mode.label(), logged.get(), received,
                tail.received(), log4jMetrics.getBatchRequests() + logbackMetrics.getBatchRequests(),
                log4jMetrics.getBilledRequestUnits() + logbackMetrics.getBilledRequestUnits(), totalNanos / 1e9,
                stats.percentile(50), stats.percentile(99));
        return received == logged.get() && stats.fromLog4j2.get() + stats.fromLogback.get() == logged.get();
    }

    private static void logOne(int thread, int i, org.apache.logging.log4j.Logger log4j, org.slf4j.Logger logback) {
        boolean viaLog4j = (i & 1) == 0;
        long now = System.currentTimeMillis();
        if (i % 400 == 200) {
            IllegalStateException failure = new IllegalStateException("payment gateway timeout (demo)");
            if (viaLog4j) {
                log4j.error("order {}-{} failed t={}", thread, i, now, failure);
            } else {
                logback.error("payment {}-{} failed t={}", thread, i, now, failure);
            }
        } else if (i % 100 == 50) {
            if (viaLog4j) {
                log4j.warn("order {}-{} slow: {} ms t={}", thread, i, 1_200 + i % 300, now);
            } else {
                logback.warn("payment {}-{} slow: {} ms t={}", thread, i, 1_200 + i % 300, now);
            }
        } else if (viaLog4j) {
            log4j.info("order {}-{} placed, {} items t={}", thread, i, 1 + i % 7, now);
        } else {
            logback.info("payment {}-{} captured, {} EUR t={}", thread, i, 10 + i % 90, now);
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
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicBoolean oversizeIntact = new java.util.concurrent.atomic.AtomicBoolean();

        void record(Message message, List<String> events, long receivedAtMillis) {
            for (String body : events) {
                if (body.contains("oversize event t=")) {
                    String tail = "x".repeat(OVERSIZE_BYTES) + "\n";
                    oversizeIntact.set(body.endsWith(tail) && body.indexOf('x') == body.length() - tail.length());
                }
                (body.startsWith("[log4j2]") ? fromLog4j2 : fromLogback).incrementAndGet();
                int t = body.indexOf(" t=");
                if (t > 0) {
                    int end = t + 3;
                    while (end < body.length() && Character.isDigit(body.charAt(end))) {
                        end++;
                    }
                    latencies.add(receivedAtMillis - Long.parseLong(body.substring(t + 3, end)));
                }
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
}
