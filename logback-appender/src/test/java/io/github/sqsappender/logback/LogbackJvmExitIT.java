package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.github.sqsappender.core.testing.ChildJvm;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.JvmShutdownHookProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exit-time delivery in real child JVMs that end without stopping Logback. Logback stops
 * appenders at exit only with {@code <shutdownHook/>} (or Spring Boot's own hook); the appender's
 * JVM hook covers the rest, the servlet API on the class path changes nothing, and no hook is
 * left behind once the appender stops.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(300)
class LogbackJvmExitIT {

    private static final int EVENTS = 2_000;
    private static final Path JAKARTA_SERVLET = Path.of("target/exit-libs/jakarta.servlet-api.jar");

    private static EmbeddedSqs sqs;
    private String queueUrl;

    @BeforeAll
    static void startServer(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    private ChildJvm.Result run(TestInfo info, ChildJvm child, String mode, String config) throws Exception {
        return run(info, child, mode, config, EVENTS, 0);
    }

    private ChildJvm.Result run(TestInfo info, ChildJvm child, String mode, String config, int events, int hookEvents)
            throws Exception {
        return run(info, child, mode, config, events, hookEvents, 50);
    }

    private ChildJvm.Result run(TestInfo info, ChildJvm child, String mode, String config, int events, int hookEvents,
                                long hookWorkMillis) throws Exception {
        String name = info.getTestMethod().orElseThrow().getName();
        queueUrl = sqs.createQueue(name);
        ChildJvm.Result r = child.withJvmArgs("--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dsqs.queueUrl=" + queueUrl)
                .run("exit-" + name, 120, ExitWithoutStopMain.class.getName(), String.valueOf(events), mode, config,
                        String.valueOf(hookEvents), String.valueOf(hookWorkMillis));
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<String> bodies = sqs.drainBodies(queueUrl, events + hookEvents, Duration.ofSeconds(5));
        assertThat(bodies).as(r.output()).hasSize(events + hookEvents).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                        IntStream.range(0, events).mapToObj(i -> "exit-" + i),
                        IntStream.range(0, hookEvents).mapToObj(i -> "hook-" + i)).toList());
        System.out.printf("[measure] logback exit, %s: %,d of %,d delivered (%,d logged by the application's exit hook), child JVM %,d ms in all, "
                        + "%,d ms from the end of main to process exit%n", name, events + hookEvents, events + hookEvents, hookEvents, r.wallMillis(),
                r.endedAtMillis() - Long.parseLong(r.printed("exit-at")));
        return r;
    }

    @Test
    void springStyleContextWithoutShutdownHookDeliversEveryLineAtSystemExit(TestInfo info) throws Exception {
        ChildJvm.Result r = run(info, ChildJvm.onTestClasspath(), "exit", "logback-exit.xml");
        assertThat(r.printed("sqs-exit-hooks")).isEqualTo("1");
    }

    @Test
    void servletApiOnTheClasspathChangesNothingAtSystemExit(TestInfo info) throws Exception {
        ChildJvm.Result r = run(info, ChildJvm.onTestClasspath().withClasspath(JAKARTA_SERVLET), "exit", "logback-exit.xml");
        assertThat(r.printed("servlet-api")).isEqualTo("true");
    }

    @Test
    void servletApiOnTheClasspathAndMainReturningDeliversEveryLine(TestInfo info) throws Exception {
        ChildJvm.Result r = run(info, ChildJvm.onTestClasspath().withClasspath(JAKARTA_SERVLET), "return", "logback-exit.xml");
        assertThat(r.printed("servlet-api")).isEqualTo("true");
    }

    @Test
    void whatTheApplicationsOwnShutdownHookLogsIsDeliveredToo(TestInfo info) throws Exception {
        // Few events before the exit, so the appender has sent them long before the hook logs.
        run(info, ChildJvm.onTestClasspath(), "return", "logback-exit.xml", 10, 100);
    }

    @Test
    void behindAnAsyncAppenderEverythingQueuedAtExitAndLoggedByHooksIsDelivered(TestInfo info) throws Exception {
        run(info, ChildJvm.onTestClasspath(), "return", "logback-exit-async.xml", EVENTS, 100);
    }

    @Test
    void withLogbacksOwnShutdownHookToo(TestInfo info) throws Exception {
        run(info, ChildJvm.onTestClasspath(), "exit", "logback-exit-hook.xml");
    }

    @Test
    void whileLogbacksOwnHookWaitsOutItsDelayWhatOtherHooksLogIsDelivered(TestInfo info) throws Exception {
        // Logback's hook stops the context after 3 s; the application's hook logs after 1 s, long
        // after the appender's own hook would have found logging quiet.
        run(info, ChildJvm.onTestClasspath(), "exit", "logback-exit-hook-delay.xml", 10, 100, 1_000);
    }

    @Test
    void resetAndReconfigureCyclesLeaveNoJvmHookBehind(TestInfo info) throws Exception {
        queueUrl = sqs.createQueue(info.getTestMethod().orElseThrow().getName());
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        int before = JvmShutdownHookProbe.count("sqs-appender-");
        try {
            for (int cycle = 0; cycle < 20; cycle++) {
                configure(ctx, "<configuration><appender name=\"SQS\" class=\"io.github.sqsappender.logback.SqsAppender\">"
                        + "<queueUrl>" + queueUrl + "</queueUrl><jmx>false</jmx><encoder><pattern>%msg</pattern></encoder>"
                        + "</appender><logger name=\"com.example\" level=\"INFO\"><appender-ref ref=\"SQS\"/></logger>"
                        + "<root level=\"WARN\"/></configuration>");
                ctx.getLogger("com.example.Cycle").info("cycle-{}", cycle);
                assertThat(JvmShutdownHookProbe.count("sqs-appender-")).as("cycle %d", cycle).isEqualTo(before + 1);
            }
        } finally {
            configure(ctx, "<configuration><root level=\"WARN\"/></configuration>");
        }
        assertThat(JvmShutdownHookProbe.count("sqs-appender-")).as("after the appender stopped").isEqualTo(before);
        assertThat(sqs.drainBodies(queueUrl, 20, Duration.ofSeconds(5))).hasSize(20);
    }

    private static void configure(LoggerContext ctx, String xml) throws Exception {
        ctx.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
