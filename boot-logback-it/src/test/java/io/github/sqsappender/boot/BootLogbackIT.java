package io.github.sqsappender.boot;

import io.github.sqsappender.core.testing.ChildJvm;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot 4 service on Boot's default logging (Logback) in a child JVM, configured by its
 * {@code logback-spring.xml}: the queue URL and the application name come from
 * {@code application.properties} through {@code <springProperty>}, and the appender exists only in
 * the {@code sqs} profile ({@code <springProfile>}). The service exits when {@code main} returns.
 */
@Timeout(300)
class BootLogbackIT {

    private static final int ORDERS = 1_000;
    /** "Starting CheckoutService …", "The following 1 profile is active …", "Started CheckoutService …". */
    private static final int BOOT_STARTUP_LINES = 3;

    private static EmbeddedSqs sqs;

    @BeforeAll
    static void startServer() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stopServer() {
        sqs.close();
    }

    private static ChildJvm.Result runService(String name, String queue, String... args) throws Exception {
        String classpath = Files.readString(Path.of("target/app-classpath.txt"), StandardCharsets.UTF_8).trim();
        return ChildJvm.onClasspath(Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator + classpath)
                .withJvmArgs("-Xmx256m", "-Dtest.sqs.port=" + sqs.port(), "-Dtest.sqs.queue=" + queue)
                .run(name, 120, CheckoutService.class.getName(), args);
    }

    @Test
    void inTheSqsProfileEveryLineArrivesWithTheQueueAndNameFromApplicationProperties() throws Exception {
        String queueUrl = sqs.createQueue("boot-logback");
        ChildJvm.Result r = runService("boot-logback", "boot-logback", "--spring.profiles.active=sqs");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("logging-system")).isEqualTo("LogbackLoggingSystem");

        // Boot's own start-up lines come from the application class's logger too.
        List<String> bodies = sqs.drainBodies(queueUrl, ORDERS + BOOT_STARTUP_LINES, Duration.ofSeconds(5));
        assertThat(bodies).as(r.output()).hasSize(ORDERS + BOOT_STARTUP_LINES)
                .allSatisfy(b -> assertThat(b).endsWith("|checkout"))
                .anySatisfy(b -> assertThat(b).startsWith("Started CheckoutService in "));
        assertThat(bodies.stream().filter(b -> b.startsWith("order ")))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, ORDERS)
                        .mapToObj(i -> "order " + i + " accepted|checkout").collect(Collectors.toList()));
        System.out.printf("[measure] Spring Boot 4 (Logback %s, netty %s under the SDK): %,d of %,d order lines (and Boot's "
                        + "%d start-up lines) delivered after main returned; child JVM %,d ms%n",
                r.printed("framework"), r.printed("netty"), bodies.stream().filter(b -> b.startsWith("order ")).count(),
                ORDERS, BOOT_STARTUP_LINES, r.wallMillis());
    }

    @Test
    void withoutTheProfileThereIsNoAppenderAndNothingIsSent() throws Exception {
        String queueUrl = sqs.createQueue("boot-logback-off");
        ChildJvm.Result r = runService("boot-logback-off", "boot-logback-off");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("started")).isEqualTo("true");
        assertThat(r.output()).contains("order 999 accepted"); // to the console instead
        assertThat(sqs.approximateDepth(queueUrl)).isZero();
    }

    @Test
    void aQueueUrlPropertyThatResolvesToNothingIsReportedByNameAndTheServiceStillStarts() throws Exception {
        String queueUrl = sqs.createQueue("boot-logback-unset");
        // No application.properties: <springProperty source="sqs.queue-url"> finds nothing.
        ChildJvm.Result r = runService("boot-logback-unset", "boot-logback-unset", "--spring.profiles.active=sqs",
                "--spring.config.name=no-such-config");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("started")).isEqualTo("true");
        assertThat(r.output()).contains("WARN in io.github.sqsappender.logback.SqsAppender[SQS] - SqsAppender 'SQS': "
                + "queueUrl=queueUrl_IS_UNDEFINED is an unresolved property reference");
        assertThat(sqs.approximateDepth(queueUrl)).isZero();
    }
}
