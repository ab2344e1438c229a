package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.testing.ChildJvm;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.JvmShutdownHookProbe;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exit-time delivery whatever Log4j2's shutdown-hook mode. Each case runs a real application in a
 * child JVM that logs and then exits without stopping Log4j2; the linger is ten minutes, so only
 * a stop at JVM exit can deliver anything. With the servlet API on the class path (Spark, every
 * servlet container) or with the hook disabled, Log4j2 stops nothing at exit and the appender's
 * own hook must; with Log4j2's hook enabled the appender must not add a second one.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(300)
class Log4j2JvmExitIT {

    private static final int EVENTS = 2_000;
    private static final Path JAKARTA_SERVLET = Path.of("target/exit-libs/jakarta.servlet-api.jar");
    private static final Path JAVAX_SERVLET = Path.of("target/exit-libs/javax.servlet-api.jar");

    private static EmbeddedSqs sqs;
    private String queueUrl;

    @BeforeAll
    static void startServer(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    private String newQueue(TestInfo info) {
        queueUrl = sqs.createQueue(info.getTestMethod().orElseThrow().getName());
        return queueUrl;
    }

    private ChildJvm child(String configResource) {
        return ChildJvm.onTestClasspath().withJvmArgs(
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", // for the hook probe
                "-Dsqs.queueUrl=" + queueUrl,
                "-Dlog4j2.configurationFile=" + Path.of("target/test-classes", configResource).toAbsolutePath());
    }

    private ChildJvm.Result runExitMain(ChildJvm child, String name, String mode, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(String.valueOf(EVENTS), mode));
        args.addAll(List.of(extra));
        ChildJvm.Result result = child.run("exit-" + name, 120, ExitMain.class.getName(), args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }

    private void assertEveryLineArrived() {
        List<String> bodies = sqs.drainBodies(queueUrl, EVENTS, Duration.ofSeconds(5));
        assertThat(bodies).hasSize(EVENTS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, EVENTS).mapToObj(i -> "exit-" + i).toList());
    }

    private static void report(String what, ChildJvm.Result r) {
        System.out.printf("[measure] log4j2 exit, %s: %,d of %,d delivered, child JVM %,d ms in all, "
                        + "%,d ms from the end of main to process exit%n", what, EVENTS, EVENTS, r.wallMillis(),
                r.endedAtMillis() - Long.parseLong(r.printed("exit-at")));
    }

    @Test
    void systemExitWithJakartaServletApiOnTheClasspathDeliversEveryLine(TestInfo info) throws Exception {
        newQueue(info);
        ChildJvm.Result r = runExitMain(child("log4j2-exit.xml").withClasspath(JAKARTA_SERVLET), "jakarta", "exit");
        assertEveryLineArrived();
        assertThat(r.printed("webapp")).as("Log4j2 is in web-app mode: it registers no hook").isEqualTo("true");
        assertThat(r.printed("sqs-exit-hooks")).isEqualTo("1");
        report("jakarta.servlet-api on the classpath, System.exit(0)", r);
    }

    @Test
    void mainReturningWithJavaxServletApiOnTheClasspathDeliversEveryLine(TestInfo info) throws Exception {
        newQueue(info);
        ChildJvm.Result r = runExitMain(child("log4j2-exit.xml").withClasspath(JAVAX_SERVLET), "javax", "return");
        assertEveryLineArrived();
        assertThat(r.printed("webapp")).isEqualTo("true");
        assertThat(r.printed("sqs-exit-hooks")).isEqualTo("1");
        report("javax.servlet-api on the classpath, main returns", r);
    }

    @Test
    void shutdownHookDisabledInTheConfigurationDeliversEveryLine(TestInfo info) throws Exception {
        newQueue(info);
        ChildJvm.Result r = runExitMain(child("log4j2-exit-nohook.xml"), "config-nohook", "exit");
        assertEveryLineArrived();
        assertThat(r.printed("webapp")).isEqualTo("false");
        assertThat(r.printed("sqs-exit-hooks")).isEqualTo("1");
        report("<Configuration shutdownHook=\"disable\">, System.exit(0)", r);
    }

    @Test
    void aContextStartedWithoutAHookThenReconfiguredWithOneEnabledDeliversEveryLine(TestInfo info) throws Exception {
        // Log4j2 registers its hook when the context starts, for that first configuration only: one
        // that started with shutdownHook="disable" has none after a reconfiguration that enables it.
        newQueue(info);
        ChildJvm.Result r = runExitMain(child("log4j2-exit-nohook.xml").withJvmArgs(
                "-Dexit.reconfigureTo=" + Path.of("target/test-classes/log4j2-exit.xml").toAbsolutePath(),
                "-Dsqs.shutdownTimeoutMs=29000"), // another attribute than the first's: a new manager
                "reconfigured-hook", "exit");
        assertEveryLineArrived();
        assertThat(r.printed("sqs-exit-hooks")).isEqualTo("1");
        report("started with shutdownHook=\"disable\", reconfigured without it, System.exit(0)", r);
    }

    @Test
    void shutdownHookDisabledByPropertyDeliversEveryLine(TestInfo info) throws Exception {
        newQueue(info);
        ChildJvm.Result r = runExitMain(child("log4j2-exit.xml").withJvmArgs("-Dlog4j2.shutdownHookEnabled=false"),
                "property-nohook", "exit");
        assertEveryLineArrived();
        assertThat(r.printed("sqs-exit-hooks")).isEqualTo("1");
        report("-Dlog4j2.shutdownHookEnabled=false, System.exit(0)", r);
    }

    @Test
    void withLog4j2sOwnHookTheAppenderAddsNoSecondHookAndEveryLineArrives(TestInfo info) throws Exception {
        newQueue(info);
        ChildJvm.Result r = runExitMain(child("log4j2-exit.xml"), "log4j2-hook", "exit");
        assertEveryLineArrived();
        assertThat(r.printed("webapp")).isEqualTo("false");
        assertThat(r.printed("sqs-exit-hooks")).as("Log4j2's hook stops the appender").isEqualTo("0");
        report("Log4j2's own shutdown hook, System.exit(0)", r);
    }

    @Test
    void withNothingBufferedTheExitHookDoesNotSlowTheExit(TestInfo info) throws Exception {
        newQueue(info);
        // shutdownTimeoutMs is 10 minutes here, so a hook that waited for its budget would keep the
        // child past runExitMain's 120 s and fail the test; the exit's duration is printed, not asserted.
        ChildJvm.Result r = runExitMain(child("log4j2-exit.xml").withClasspath(JAKARTA_SERVLET)
                        .withJvmArgs("-Dsqs.shutdownTimeoutMs=600000"), "empty-at-exit", "exit", "flush");
        assertEveryLineArrived();
        assertThat(r.printed("flushed")).isEqualTo("true");
        assertThat(r.printed("sqs-exit-hooks")).isEqualTo("1");
        report("web-app mode, flushed before System.exit(0) (nothing buffered at exit)", r);
    }

    @Test
    void whatTheApplicationsOwnShutdownHookLogsIsDeliveredToo(TestInfo info) throws Exception {
        newQueue(info);
        // Web-app mode, as on Spark: only the appender's hook delivers; it is idle (flushed) when the
        // JVM begins to exit, and the application's hook logs 50 ms later.
        ChildJvm.Result r = runExitMain(child("log4j2-exit.xml").withClasspath(JAKARTA_SERVLET), "app-hook", "return",
                "flush", "100");
        List<String> bodies = sqs.drainBodies(queueUrl, EVENTS + 100, Duration.ofSeconds(5));
        assertThat(bodies).as(r.output()).hasSize(EVENTS + 100).doesNotHaveDuplicates()
                .containsAll(IntStream.range(0, 100).mapToObj(i -> "hook-" + i).toList());
        report("web-app mode, 100 more lines from the application's own shutdown hook", r);
    }

    @Test
    void reconfigureAndStopCyclesLeaveNoJvmHookBehind(TestInfo info) throws Exception {
        newQueue(info);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        int before = JvmShutdownHookProbe.count("sqs-appender-");
        try {
            for (int cycle = 0; cycle < 20; cycle++) {
                // A changed attribute each time: a new manager, the old one released and stopped.
                ctx.setConfigLocation(noHookConfig(cycle).toUri());
                ctx.getLogger("com.example.Cycle").info("cycle-{}", cycle);
                assertThat(JvmShutdownHookProbe.count("sqs-appender-")).as("cycle %d", cycle).isEqualTo(before + 1);
            }
            ctx.reconfigure(); // the same configuration again: the manager and its hook are reused
            assertThat(JvmShutdownHookProbe.count("sqs-appender-")).isEqualTo(before + 1);
        } finally {
            ctx.setConfigLocation(Log4j2JvmExitIT.class.getClassLoader().getResource("log4j2-test.xml").toURI());
        }
        assertThat(JvmShutdownHookProbe.count("sqs-appender-")).as("after the appender stopped").isEqualTo(before);
        assertThat(sqs.drainBodies(queueUrl, 20, Duration.ofSeconds(5))).hasSize(20);
    }

    private Path noHookConfig(int cycle) throws IOException {
        Path file = Files.createTempFile(Path.of("target"), "log4j2-nohook-", ".xml");
        Files.writeString(file, "<Configuration status=\"WARN\" shutdownHook=\"disable\"><Appenders>"
                + "<Sqs name=\"SQS\" queueUrl=\"" + queueUrl + "\" lingerMs=\"" + (1000 + cycle) + "\" jmx=\"false\">"
                + "<PatternLayout pattern=\"%m\"/></Sqs></Appenders><Loggers>"
                + "<Logger name=\"com.example\" level=\"INFO\" additivity=\"false\"><AppenderRef ref=\"SQS\"/></Logger>"
                + "<Root level=\"WARN\"/></Loggers></Configuration>", StandardCharsets.UTF_8);
        return file;
    }
}
