package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.testing.AbstractSqsAppenderContractTest;
import io.github.sqsappender.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import javax.management.ObjectName;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Logback appender against the shared contract (configured from generated logback.xml text,
 * in the default context SLF4J and so the AWS SDK log to), plus what only Logback needs: a real
 * re-entry guard, reset/reconfigure cycles, and a flush at JVM exit without Logback's shutdown hook.
 */
class LogbackSqsAppenderIT extends AbstractSqsAppenderContractTest {

    private LoggerContext invalidContext;

    @Override
    protected String framework() {
        return "logback";
    }

    @Override
    protected void configureSqs(String url, Map<String, String> attributes, String rootLevel) {
        StringBuilder appender = new StringBuilder("<appender name=\"SQS\" class=\"io.github.sqsappender.logback.SqsAppender\">")
                .append("<queueUrl>").append(xml(url)).append("</queueUrl>");
        if (!attributes.containsKey("messageAttributes")) {
            appender.append("<messageAttributes>level,logger,mdc:requestId</messageAttributes>");
        }
        attributes.forEach((k, v) -> appender.append('<').append(k).append('>').append(xml(v)).append("</").append(k).append('>'));
        appender.append("<encoder><pattern>%msg</pattern></encoder></appender>");
        load((LoggerContext) LoggerFactory.getILoggerFactory(), "<configuration>" + appender
                + "<appender name=\"QUIET\" class=\"ch.qos.logback.core.helpers.NOPAppender\"/>"
                + "<logger name=\"org.elasticmq\" level=\"WARN\" additivity=\"false\"><appender-ref ref=\"QUIET\"/></logger>"
                + "<logger name=\"org.apache.pekko\" level=\"WARN\" additivity=\"false\"><appender-ref ref=\"QUIET\"/></logger>"
                + "<root level=\"" + rootLevel + "\"><appender-ref ref=\"SQS\"/></root></configuration>");
    }

    @Override
    protected void configureQuiet() {
        if (invalidContext != null) {
            invalidContext.stop();
            invalidContext = null;
        }
        configure("logback-test.xml");
    }

    @Override
    protected List<String> configureInvalid(Map<String, String> attributes) {
        StringBuilder bad = new StringBuilder("<appender name=\"BAD\" class=\"io.github.sqsappender.logback.SqsAppender\">");
        attributes.forEach((k, v) -> bad.append('<').append(k).append('>').append(xml(v)).append("</").append(k).append('>'));
        bad.append("</appender>");
        invalidContext = new LoggerContext();
        load(invalidContext, "<configuration>" + bad + "<root level=\"INFO\"><appender-ref ref=\"BAD\"/></root></configuration>");
        return invalidContext.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.WARN).map(Status::getMessage).toList();
    }

    @Override
    protected List<String> statusDuring(Runnable action) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        ch.qos.logback.core.status.StatusListener listener = new ch.qos.logback.core.status.StatusListener() {
            @Override public void addStatusEvent(Status status) {
                messages.add(status.getMessage() + (status.getThrowable() == null ? "" : " " + status.getThrowable()));
            }
            @Override public boolean isResetResistant() {
                return true; // reconfiguration resets the context; this listener must hear it
            }
        };
        ctx.getStatusManager().add(listener);
        try {
            action.run();
        } finally {
            ctx.getStatusManager().remove(listener);
        }
        return messages;
    }

    @Override
    protected boolean invalidAppenderIsNotRunning() {
        SqsAppender bad = (SqsAppender) invalidContext.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("BAD");
        return bad == null || !bad.isStarted();
    }

    @Override
    protected void log(String logger, String level, String message, Throwable throwable) {
        Logger l = LoggerFactory.getLogger(logger);
        switch (level) {
            case "DEBUG" -> l.debug(message, throwable);
            case "INFO" -> l.info(message, throwable);
            case "WARN" -> l.warn(message, throwable);
            default -> l.error(message, throwable);
        }
    }

    @Override
    protected void putMdc(String key, String value) {
        MDC.put(key, value);
    }

    @Override
    protected void removeMdc(String key) {
        MDC.remove(key);
    }

    @Override
    protected SqsAppenderMetrics metrics() {
        return sqsAppender((LoggerContext) LoggerFactory.getILoggerFactory()).getMetrics();
    }

    @Override
    protected boolean flushAll(long timeoutMillis) {
        return io.github.sqsappender.logback.SqsAppender.flushAll(timeoutMillis);
    }

    @Override
    protected boolean flush(long timeoutMillis) {
        return sqsAppender((LoggerContext) LoggerFactory.getILoggerFactory()).flush(timeoutMillis);
    }

    private static void load(LoggerContext ctx, String xml) {
        ctx.reset(); // stops the previous appenders: SqsAppender delivers what it holds
        ctx.getStatusManager().clear();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        try {
            configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String xml(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;");
    }

    /** Resets the default context (the one SLF4J and so the AWS SDK log to) and loads {@code resource}. */
    static LoggerContext configure(String resource) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
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
        return (SqsAppender) ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("SQS");
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
    void anAppenderSetUpInCodeWithAnEncoderNobodyStartedFormatsItsEvents() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.encoder.PatternLayoutEncoder encoder = new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
        encoder.setPattern("in code: %m"); // no setContext, no start(): as code written from the javadoc often is
        SqsAppender appender = new SqsAppender();
        appender.setContext(ctx);
        appender.setName("SQS-IN-CODE");
        appender.setQueueUrl(queueUrl);
        appender.setJmx("false");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger logger = ctx.getLogger("com.example.InCode");
        logger.setAdditive(false);
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // whatever the context's root level is
        logger.addAppender(appender);
        try {
            logger.info("hello");
            assertThat(appender.flush(30_000)).isTrue();
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(null);
            logger.setAdditive(true);
            appender.stop();
        }
        assertThat(sqs.drainBodies(queueUrl, 1, Duration.ofSeconds(3))).containsExactly("in code: hello");
    }

    @Test
    void anEncoderSubclassThatOverridesEncodeIsRunAndItsCharsetRead() {
        LoggerContext ctx = configure("logback-masking-encoder.xml");
        try {
            LoggerFactory.getLogger("com.example.App").info("password=secret caf\u00e9");
            assertThat(sqsAppender(ctx).flush(30_000)).isTrue();
        } finally {
            configure("logback-test.xml");
        }
        assertThat(sqs.drainBodies(queueUrl, 1, Duration.ofSeconds(3))).containsExactly("password=*** caf\u00e9");
    }

    @Test
    void aLayoutInsteadOfAnEncoderFormatsAndFlushAllReachesAnAppenderBehindAnAsyncAppender() {
        configure("logback-layout-async.xml");
        try {
            List<String> lines = java.util.stream.IntStream.range(0, 500).mapToObj(i -> "lambda-" + i).toList();
            lines.forEach(line -> LoggerFactory.getLogger("com.example.Handler").info(line));
            assertThat(SqsAppender.flushAll(30_000)).isTrue();
            // With a one-minute linger, only the flush can have sent them by now.
            assertThat(sqs.drainBodies(queueUrl, lines.size(), Duration.ofSeconds(2)))
                    .containsExactlyInAnyOrderElementsOf(lines.stream().map(l -> "layout INFO " + l).toList());
        } finally {
            configure("logback-test.xml");
        }
    }

    @Test
    void hundredResetsAndReconfigurationsWhileFourThreadsLogLoseNothingAndLeakNoThreadsOrMBeans() throws Exception {
        int threads = 4;
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        // Each cycle hands the loggers 100 events to log, so the volume does not grow with the
        // machine's speed; they log them concurrently with the next reset when the cycle ends first.
        java.util.concurrent.Semaphore budget = new java.util.concurrent.Semaphore(0);
        List<Thread> workers = startTogether(threads, id -> {
            Logger logger = LoggerFactory.getLogger("com.example.Reconfig");
            for (int i = 0; running.get(); i++) {
                budget.acquireUninterruptibly();
                logger.info("w{}-{}", id, i);
            }
        });
        // Events logged while no appender is attached (inside a reset) are Logback's to skip; every
        // event that reached an SqsAppender must be delivered.
        List<io.github.sqsappender.core.SqsAppenderMetrics> all = new ArrayList<>();
        for (int r = 0; r < 100; r++) {
            LoggerContext ctx = configure("logback-sqs.xml");
            io.github.sqsappender.core.SqsAppenderMetrics metrics = sqsAppender(ctx).getMetrics();
            all.add(metrics);
            budget.release(100);
            // Let this appender take real traffic before the next reset.
            try {
                Await.until("50 events through appender " + r, () -> metrics.getEventsAppended() >= 50);
            } catch (AssertionError e) {
                // Seen once in a loaded CI run (cycle 19 of 100), never alone: say where the loggers were.
                StringBuilder where = new StringBuilder(e.getMessage()).append("; permits left ")
                        .append(budget.availablePermits()).append(", appended ").append(metrics.getEventsAppended())
                        .append(", dropped ").append(metrics.getEventsDropped()).append(", buffered ")
                        .append(metrics.getBufferedEvents());
                Thread.getAllStackTraces().forEach((t, stack) -> {
                    if (t.getName().startsWith("worker-")) {
                        where.append("\n").append(t.getName()).append(' ').append(t.getState());
                        for (int i = 0; i < Math.min(stack.length, 25); i++) {
                            where.append("\n    at ").append(stack[i]);
                        }
                    }
                });
                throw new AssertionError(where.toString(), e);
            }
        }
        running.set(false);
        budget.release(threads);
        joinAll(workers);
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

}
