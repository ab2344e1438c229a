package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.internal.Utf8;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code <Sqs>} appender configured from real log4j2.xml files, sending through the real AWS
 * SDK to ElasticMQ on loopback.
 */
@Timeout(180)
class Log4j2SqsAppenderIT {

    static EmbeddedSqs sqs;
    static final List<String> statusErrors = new CopyOnWriteArrayList<>();
    static final StatusListener statusListener = new StatusListener() {
        @Override public void log(StatusData data) {
            if (data.getLevel().isMoreSpecificThan(Level.ERROR)) {
                statusErrors.add(data.getFormattedStatus());
            }
        }
        @Override public Level getStatusLevel() { return Level.ERROR; }
        @Override public void close() { }
    };

    String queueUrl;

    @BeforeAll
    static void startServer() {
        sqs = EmbeddedSqs.start();
        StatusLogger.getLogger().registerListener(statusListener);
    }

    @AfterAll
    static void stopServer() {
        StatusLogger.getLogger().removeListener(statusListener);
        sqs.close();
    }

    @BeforeEach
    void newQueue(TestInfo info) {
        String method = info.getTestMethod().orElseThrow().getName();
        queueUrl = sqs.createQueue("l4j-" + method.substring(0, Math.min(60, method.length())));
        System.setProperty("sqs.queueUrl", queueUrl);
        statusErrors.clear();
    }

    @AfterEach
    void quiet() {
        System.clearProperty("sqs.maxMessageBytes");
        System.clearProperty("sqs.lingerMs");
        System.clearProperty("sqs.rootLevel");
        useConfig("log4j2-test.xml");
    }

    static LoggerContext useConfig(String resource) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        try {
            ctx.setConfigLocation(Log4j2SqsAppenderIT.class.getClassLoader().getResource(resource).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return ctx;
    }

    static SqsAppender sqsAppender(LoggerContext ctx) {
        return ctx.getConfiguration().getAppender("SQS");
    }

    @Test
    void fortyThousandEventsFromEightThreadsArriveExactlyOnce() throws Exception {
        LoggerContext ctx = useConfig("log4j2-sqs.xml");
        Logger logger = ctx.getLogger("com.example.Load");
        int threads = 8;
        int perThread = 5_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    logger.info("t{}-{}", id, i);
                }
            }, "load-" + t);
            workers.add(worker);
            worker.start();
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        long loggedNanos = System.nanoTime() - start;
        SqsAppender appender = sqsAppender(ctx);
        assertThat(appender.flush(60_000)).isTrue();
        long deliveredNanos = System.nanoTime() - start;
        long requests = appender.getMetrics().getBatchRequests();
        useConfig("log4j2-test.xml"); // stops the appender

        List<String> bodies = sqs.drainBodies(queueUrl, threads * perThread, Duration.ofSeconds(10));
        Set<String> expected = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                expected.add("t" + t + "-" + i);
            }
        }
        assertThat(bodies).hasSize(threads * perThread);
        assertThat(new HashSet<>(bodies)).isEqualTo(expected);
        assertThat(requests).isLessThanOrEqualTo(threads * perThread / 5);
        System.out.printf("[measure] log4j2: %d events logged in %d ms (%.0f events/s on the caller side), "
                        + "all acknowledged after %d ms (%.0f events/s end to end) in %d SendMessageBatch requests%n",
                threads * perThread, loggedNanos / 1_000_000, threads * perThread / (loggedNanos / 1e9),
                deliveredNanos / 1_000_000, threads * perThread / (deliveredNanos / 1e9), requests);
    }

    @Test
    void hostileCharactersAreDeliveredSanitized() {
        LoggerContext ctx = useConfig("log4j2-sqs.xml");
        Logger logger = ctx.getLogger("com.example.Hostile");
        logger.info("nul\u0000byte");
        logger.info("\u001b[31mred\u001b[0m");
        logger.info("lone \uD800 surrogate");
        logger.info("not a char \uFFFF here");
        logger.info("${jndi:ldap://example.invalid/a} ${env:HOME}");
        logger.info("emoji 😀 ok");
        useConfig("log4j2-test.xml");

        List<String> bodies = sqs.drainBodies(queueUrl, 6, Duration.ofSeconds(5));
        assertThat(bodies).containsExactlyInAnyOrder("nul\uFFFDbyte", "\uFFFD[31mred\uFFFD[0m", "lone \uFFFD surrogate",
                "not a char \uFFFD here", "${jndi:ldap://example.invalid/a} ${env:HOME}", "emoji 😀 ok");
    }

    @Test
    void twoMebibyteEventIsTruncatedToTheQueuesLimit() {
        LoggerContext ctx = useConfig("log4j2-sqs.xml");
        ctx.getLogger("com.example.Big").info("é".repeat(1024 * 1024)); // 2 MiB in UTF-8
        SqsAppender appender = sqsAppender(ctx);
        assertThat(appender.flush(30_000)).isTrue();
        assertThat(appender.getMetrics().getEventsTruncated()).isEqualTo(1);
        useConfig("log4j2-test.xml");

        List<Message> received = sqs.drain(queueUrl, 1, Duration.ofSeconds(5));
        assertThat(received).hasSize(1);
        String body = received.get(0).body();
        // ElasticMQ does not report MaximumMessageSize, so the appender uses SQS's 256 KiB default.
        assertThat(Utf8.encodedLength(body) + attributeBytes(received.get(0))).isLessThanOrEqualTo(262_144);
        assertThat(body).startsWith("éééé").containsPattern("\\.\\.\\.\\[truncated \\d+ bytes]$");
    }

    @Test
    void configuredMaxMessageBytesIsRespected() {
        System.setProperty("sqs.maxMessageBytes", "1024");
        LoggerContext ctx = useConfig("log4j2-sqs.xml");
        ThreadContext.put("requestId", "req-1");
        try {
            ctx.getLogger("com.example.Limit").warn("x".repeat(5_000));
        } finally {
            ThreadContext.remove("requestId");
        }
        useConfig("log4j2-test.xml");
        List<Message> received = sqs.drain(queueUrl, 1, Duration.ofSeconds(5));
        assertThat(received).hasSize(1);
        Message m = received.get(0);
        assertThat(m.messageAttributes().get("level").stringValue()).isEqualTo("WARN");
        assertThat(m.messageAttributes().get("mdc.requestId").stringValue()).isEqualTo("req-1");
        assertThat(Utf8.encodedLength(m.body()) + attributeBytes(m)).isLessThanOrEqualTo(1024);
    }

    @Test
    void loggingDoesNotWaitWhileNothingListensAndEverythingArrivesOnceTheServerStarts() throws Exception {
        int port = EmbeddedSqs.freePort();
        String lateUrl = "http://127.0.0.1:" + port + "/000000000000/late";
        System.setProperty("sqs.queueUrl", lateUrl);
        LoggerContext ctx = useConfig("log4j2-sqs.xml");
        Logger logger = ctx.getLogger("com.example.Outage");
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            logger.info("during-outage-{}", i);
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).as("1000 logging calls during an outage").isLessThan(2_000);
        SqsAppender appender = sqsAppender(ctx);
        while (appender.getMetrics().getLastError().isEmpty()) {
            Thread.onSpinWait(); // the appender has really met the dead endpoint
        }
        try (EmbeddedSqs late = EmbeddedSqs.startOn(port)) {
            late.createQueue("late");
            assertThat(appender.flush(60_000)).isTrue();
            useConfig("log4j2-test.xml");
            assertThat(late.drainBodies(lateUrl, 1_000, Duration.ofSeconds(5))).hasSize(1_000).doesNotHaveDuplicates();
        }
    }

    @Test
    void allLoggersAtDebugIncludingTheSdkDoNotDeadlockOrFlood() {
        System.setProperty("sqs.rootLevel", "DEBUG");
        LoggerContext ctx = useConfig("log4j2-sqs.xml");
        Logger logger = ctx.getLogger("com.example.Debug");
        org.slf4j.Logger sdkStyle = org.slf4j.LoggerFactory.getLogger("software.amazon.awssdk.request");
        for (int i = 0; i < 500; i++) {
            logger.debug("debug-{}", i);
            sdkStyle.debug("sdk internal {}", i); // as the SDK logs: must not be shipped
        }
        SqsAppender appender = sqsAppender(ctx);
        assertThat(appender.flush(60_000)).isTrue();
        long appended = appender.getMetrics().getEventsAppended();
        useConfig("log4j2-test.xml");
        List<String> bodies = sqs.drainBodies(queueUrl, 501, Duration.ofSeconds(3));
        assertThat(appended).isEqualTo(500);
        assertThat(bodies).hasSize(500).allMatch(b -> b.startsWith("debug-"));
    }

    @Test
    void invalidConfigurationIsReportedNamingTheAttributeAndTheApplicationKeepsLogging() {
        LoggerContext ctx = useConfig("log4j2-invalid.xml");
        assertThat(statusErrors).anySatisfy(e -> assertThat(e).contains("maxBatchSize=11"));
        assertThat(statusErrors).anySatisfy(e -> assertThat(e).contains("overflowPolicy=wait"));
        assertThat(ctx.getConfiguration().<SqsAppender>getAppender("BadSQS")).isNull();
        ctx.getLogger("com.example.App").info("still fine"); // must not throw
    }

    @Test
    void hundredReconfigurationsWhileFourThreadsLogLoseNothingAndLeakNoThreadsOrMBeans() throws Exception {
        System.setProperty("sqs.lingerMs", "600000"); // a partial batch stays buffered across reconfigurations
        LoggerContext ctx = useConfig("log4j2-sqs.xml");
        for (int i = 0; i < 5; i++) {
            ctx.getLogger("com.example.Reconfig").info("before-{}", i);
        }
        var metrics = sqsAppender(ctx).getMetrics();
        for (int r = 0; r < 20; r++) {
            ctx.reconfigure();
        }
        assertThat(sqsAppender(ctx).getMetrics()).as("same pipeline after reconfiguring").isSameAs(metrics);
        assertThat(metrics.getEventsSent()).isZero();
        assertThat(metrics.getBufferedEvents()).isEqualTo(5);

        // Four threads log while the configuration is reloaded again and again: nothing may be lost.
        int threads = 4;
        int perThread = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    ctx.getLogger("com.example.Reconfig").info("during-{}-{}", id, i);
                    if (i % 20 == 0) {
                        Thread.yield(); // spread the logging over the reconfigurations
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        go.countDown();
        for (int r = 0; r < 100; r++) {
            ctx.reconfigure();
        }
        for (Thread w : workers) {
            w.join();
        }
        // One client's threads: one dispatcher and two I/O threads, none created anew.
        assertThat(appenderThreads()).extracting(Thread::getName)
                .containsExactlyInAnyOrder("sqs-appender-SQS", "sqs-appender-SQS-io-1", "sqs-appender-SQS-io-2");
        assertThat(ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("io.github.sqsappender:type=SqsAppender,*"), null)).hasSize(1);

        useConfig("log4j2-test.xml"); // a different configuration: the appender stops and delivers
        assertThat(appenderThreads()).isEmpty();
        assertThat(ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("io.github.sqsappender:type=SqsAppender,*"), null)).isEmpty();
        assertThat(sqs.drainBodies(queueUrl, 5 + threads * perThread, Duration.ofSeconds(5)))
                .hasSize(5 + threads * perThread).doesNotHaveDuplicates();
    }

    @Test
    void logManagerShutdownWaitsForDeliveryNotForItsOwnFiftyMilliseconds() throws Exception {
        // LogManager.shutdown() passes a 50 ms stop timeout; delivery here needs seconds, because
        // nothing listens until after the shutdown has begun.
        int port = EmbeddedSqs.freePort();
        String lateUrl = "http://127.0.0.1:" + port + "/000000000000/late-shutdown";
        System.setProperty("sqs.queueUrl", lateUrl);
        LoggerContext ctx = useConfig("log4j2-sqs.xml");
        for (int i = 0; i < 250; i++) {
            ctx.getLogger("com.example.Exit").info("exit-{}", i);
        }
        SqsAppender appender = sqsAppender(ctx);
        while (appender.getMetrics().getLastError().isEmpty()) {
            Thread.onSpinWait();
        }
        Thread shutdown = new Thread(() -> LogManager.shutdown(ctx), "shutdown");
        shutdown.start();
        try (EmbeddedSqs late = EmbeddedSqs.startOn(port)) {
            late.createQueue("late-shutdown");
            shutdown.join();
            assertThat(appender.getMetrics().getEventsDropped()).isZero();
            assertThat(late.drainBodies(lateUrl, 250, Duration.ofSeconds(5))).hasSize(250);
        }
    }

    static List<Thread> appenderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("sqs-appender-")).toList();
    }

    static int attributeBytes(Message m) {
        return m.messageAttributes().entrySet().stream()
                .mapToInt(e -> Utf8.encodedLength(e.getKey()) + Utf8.encodedLength(e.getValue().dataType())
                        + Utf8.encodedLength(e.getValue().stringValue())).sum();
    }
}
