package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.testing.AbstractSqsAppenderContractTest;
import io.github.sqsappender.core.testing.Await;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code <Sqs>} appender against the shared contract (configured from generated log4j2.xml
 * text), plus what only Log4j2 has: manager reuse across reconfigurations and the 50 ms stop
 * timeout of {@code LogManager.shutdown()}.
 */
class Log4j2SqsAppenderIT extends AbstractSqsAppenderContractTest {

    @Override
    protected String framework() {
        return "log4j2";
    }

    @Override
    protected void configureSqs(String url, Map<String, String> attributes, String rootLevel) {
        StringBuilder sqs = new StringBuilder("<Sqs name=\"SQS\" queueUrl=\"").append(xml(url)).append('"');
        if (!attributes.containsKey("messageAttributes")) {
            sqs.append(" messageAttributes=\"level,logger,mdc:requestId\"");
        }
        attributes.forEach((k, v) -> sqs.append(' ').append(k).append("=\"").append(xml(v)).append('"'));
        sqs.append("><PatternLayout pattern=\"%m\"/></Sqs>");
        load("<Configuration status=\"WARN\"><Appenders>" + sqs + "<Null name=\"Quiet\"/></Appenders><Loggers>"
                + "<Logger name=\"org.elasticmq\" level=\"WARN\" additivity=\"false\"><AppenderRef ref=\"Quiet\"/></Logger>"
                + "<Logger name=\"org.apache.pekko\" level=\"WARN\" additivity=\"false\"><AppenderRef ref=\"Quiet\"/></Logger>"
                + "<Root level=\"" + rootLevel + "\"><AppenderRef ref=\"SQS\"/></Root></Loggers></Configuration>");
    }

    @Override
    protected void configureQuiet() {
        System.clearProperty("sqs.lingerMs");
        useConfig("log4j2-test.xml");
    }

    @Override
    protected List<String> configureInvalid(Map<String, String> attributes) {
        StringBuilder bad = new StringBuilder("<Sqs name=\"BAD\"");
        attributes.forEach((k, v) -> bad.append(' ').append(k).append("=\"").append(xml(v)).append('"'));
        bad.append("/>");
        List<String> errors = new CopyOnWriteArrayList<>();
        StatusListener listener = new StatusListener() {
            @Override public void log(StatusData data) {
                if (data.getLevel().isMoreSpecificThan(Level.ERROR)) {
                    errors.add(data.getFormattedStatus());
                }
            }
            @Override public Level getStatusLevel() { return Level.ERROR; }
            @Override public void close() { }
        };
        StatusLogger.getLogger().registerListener(listener);
        try {
            load("<Configuration status=\"WARN\"><Appenders>" + bad + "<Null name=\"Quiet\"/></Appenders><Loggers>"
                    + "<Root level=\"INFO\"><AppenderRef ref=\"BAD\"/><AppenderRef ref=\"Quiet\"/></Root></Loggers></Configuration>");
        } finally {
            StatusLogger.getLogger().removeListener(listener);
        }
        return errors;
    }

    @Override
    protected List<String> statusDuring(Runnable action) {
        List<String> messages = new CopyOnWriteArrayList<>();
        StatusListener listener = new StatusListener() {
            @Override public void log(StatusData data) {
                messages.add(data.getFormattedStatus());
            }
            @Override public Level getStatusLevel() { return Level.TRACE; }
            @Override public void close() { }
        };
        StatusLogger.getLogger().registerListener(listener);
        try {
            action.run();
        } finally {
            StatusLogger.getLogger().removeListener(listener);
        }
        return messages;
    }

    @Override
    protected boolean invalidAppenderIsNotRunning() {
        return context().getConfiguration().getAppender("BAD") == null;
    }

    @Override
    protected void log(String logger, String level, String message, Throwable throwable) {
        context().getLogger(logger).log(Level.toLevel(level), message, throwable);
    }

    @Override
    protected void putMdc(String key, String value) {
        ThreadContext.put(key, value);
    }

    @Override
    protected void removeMdc(String key) {
        ThreadContext.remove(key);
    }

    @Override
    protected SqsAppenderMetrics metrics() {
        return sqsAppender(context()).getMetrics();
    }

    @Override
    protected boolean flushAll(long timeoutMillis) {
        return io.github.sqsappender.log4j2.SqsAppender.flushAll(timeoutMillis);
    }

    @Override
    protected boolean flush(long timeoutMillis) {
        return sqsAppender(context()).flush(timeoutMillis);
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }

    private static void load(String configuration) {
        try {
            Path file = Files.createTempFile(Path.of("target"), "log4j2-", ".xml");
            Files.writeString(file, configuration, StandardCharsets.UTF_8);
            context().setConfigLocation(file.toUri());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xml(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    static LoggerContext useConfig(String resource) {
        try {
            context().setConfigLocation(Log4j2SqsAppenderIT.class.getClassLoader().getResource(resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return context();
    }

    static SqsAppender sqsAppender(LoggerContext ctx) {
        return ctx.getConfiguration().getAppender("SQS");
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
        List<Thread> workers = startTogether(threads, id -> {
            for (int i = 0; i < perThread; i++) {
                ctx.getLogger("com.example.Reconfig").info("during-{}-{}", id, i);
                if (i % 20 == 0) {
                    Thread.yield(); // spread the logging over the reconfigurations
                }
            }
        });
        for (int r = 0; r < 100; r++) {
            ctx.reconfigure();
        }
        joinAll(workers);
        // One client's threads: one dispatcher, two I/O threads, the send thread (once a batch was
        // sent) and the call-timeout thread, none created anew.
        assertThat(appenderThreads()).extracting(Thread::getName)
                .contains("sqs-appender-SQS", "sqs-appender-SQS-io-1", "sqs-appender-SQS-io-2")
                .isSubsetOf("sqs-appender-SQS", "sqs-appender-SQS-io-1", "sqs-appender-SQS-io-2", "sqs-appender-SQS-send",
                        "sqs-appender-SQS-timer-1");
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
        Await.until("the appender has met the dead endpoint", () -> !appender.getMetrics().getLastError().isEmpty());
        Thread shutdown = new Thread(() -> LogManager.shutdown(ctx), "shutdown");
        shutdown.start();
        try (EmbeddedSqs late = EmbeddedSqs.startOn(port)) {
            late.createQueue("late-shutdown");
            shutdown.join();
            assertThat(appender.getMetrics().getEventsDropped()).isZero();
            assertThat(late.drainBodies(lateUrl, 250, Duration.ofSeconds(5))).hasSize(250);
        }
    }

}
