package io.github.sqsappender.boot;

import io.github.sqsappender.core.testing.ChildJvm;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.WithEmbeddedSqs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot 4 service in a child JVM, on Boot's own dependency versions, configured by its
 * {@code logback-spring.xml} (module {@code boot-logback-it}: {@code <springProperty>},
 * {@code <springProfile>}) or {@code log4j2-spring.xml} ({@code boot-log4j2-it}: Boot's
 * {@code ${spring:…}} lookup and {@code <SpringProfile>} arbiter). The queue URL and the application
 * name come from {@code application.properties}; the appender exists only in the {@code sqs}
 * profile; the service exits when {@code main} returns. Both modules run this class; their poms
 * name what differs ({@code boot.loggingSystem}, {@code boot.unresolvedReport}).
 */
@Timeout(300)
@ExtendWith(WithEmbeddedSqs.class)
class BootServiceIT {

    private static final int ORDERS = 1_000;
    /** "Starting CheckoutService …", "The following 1 profile is active …", "Started CheckoutService …". */
    private static final int BOOT_STARTUP_LINES = 3;
    private static final String LOGGING_SYSTEM = System.getProperty("boot.loggingSystem", "unset");
    private static final String UNRESOLVED_REPORT = System.getProperty("boot.unresolvedReport", "unset");

    private static ChildJvm.Result runService(EmbeddedSqs sqs, String queue, String... args) throws Exception {
        String classpath = Files.readString(Path.of("target/app-classpath.txt"), StandardCharsets.UTF_8).trim();
        return ChildJvm.onClasspath(Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator + classpath)
                .withJvmArgs("-Xmx256m", "-Dtest.sqs.port=" + sqs.port(), "-Dtest.sqs.queue=" + queue)
                .run(queue, 120, CheckoutService.class.getName(), args);
    }

    @Test
    void inTheSqsProfileEveryLineArrivesWithTheQueueAndNameFromApplicationProperties(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("boot-service");
        ChildJvm.Result r = runService(sqs, "boot-service", "--spring.profiles.active=sqs");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("logging-system")).isEqualTo(LOGGING_SYSTEM);

        // Boot's own start-up lines come from the application class's logger too.
        List<String> bodies = sqs.drainBodies(queueUrl, ORDERS + BOOT_STARTUP_LINES, Duration.ofSeconds(5));
        assertThat(bodies).as(r.output()).hasSize(ORDERS + BOOT_STARTUP_LINES)
                .allSatisfy(b -> assertThat(b).endsWith("|checkout"))
                .anySatisfy(b -> assertThat(b).startsWith("Started CheckoutService in "));
        assertThat(bodies.stream().filter(b -> b.startsWith("order ")))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, ORDERS)
                        .mapToObj(i -> "order " + i + " accepted|checkout").collect(Collectors.toList()));
        System.out.printf("[measure] Spring Boot 4 (%s %s, netty %s under the SDK): %,d of %,d order lines (and Boot's "
                        + "%d start-up lines) delivered after main returned; child JVM %,d ms%n",
                LOGGING_SYSTEM, r.printed("framework"), r.printed("netty"),
                bodies.stream().filter(b -> b.startsWith("order ")).count(), ORDERS, BOOT_STARTUP_LINES, r.wallMillis());
    }

    @Test
    void linesLoggedWhileBootClosesTheServiceAtExitArriveAfterTheQuietLastOrders(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("boot-service-slow-close");
        // The JVM exits with the context open; Boot's shutdown hook closes it, which takes 1.5 s
        // of silence (a request finishing), then logs once more and stops the logging system.
        ChildJvm.Result r = runService(sqs, "boot-service-slow-close", "--spring.profiles.active=sqs",
                "--checkout.orders=100", "--checkout.exit=jvm", "--checkout.close-millis=1500");
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<String> bodies = sqs.drainBodies(queueUrl, 100 + BOOT_STARTUP_LINES + 1, Duration.ofSeconds(5));
        assertThat(bodies).as(r.output()).hasSize(100 + BOOT_STARTUP_LINES + 1)
                .contains("order 99 accepted|checkout", "closed after 1500 ms|checkout");
        assertThat(r.output()).doesNotContain("dropped");
    }

    @Test
    void withoutTheProfileThereIsNoAppenderAndNothingIsSent(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("boot-service-off");
        ChildJvm.Result r = runService(sqs, "boot-service-off");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("started")).isEqualTo("true");
        assertThat(r.output()).contains("order 999 accepted"); // to the console instead
        assertThat(sqs.approximateDepth(queueUrl)).isZero();
    }

    @Test
    void aQueueUrlPropertyThatResolvesToNothingIsReportedByNameAndTheServiceStillStarts(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("boot-service-unset");
        // No application.properties: the queue URL's property is not defined anywhere.
        ChildJvm.Result r = runService(sqs, "boot-service-unset", "--spring.profiles.active=sqs",
                "--spring.config.name=no-such-config");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("started")).isEqualTo("true");
        // Logback: "queueUrl=queueUrl_IS_UNDEFINED", Log4j2: "queueUrl=${spring:sqs.queue-url}"
        assertThat(r.output()).containsPattern(java.util.regex.Pattern.quote(UNRESOLVED_REPORT)
                + "\\S+ is an unresolved property reference");
        assertThat(sqs.approximateDepth(queueUrl)).isZero();
    }
}
