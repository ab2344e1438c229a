package io.github.sqsappender.spark;

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
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spark 4 application in a child JVM — Spark's own Log4j2, Netty, Jackson and servlet API
 * on its class path, configured from a Spark-style {@code log4j2.properties} — whose tasks log and
 * whose {@code main} returns after {@code spark.stop()}. Every line must reach the queue.
 */
@Timeout(600)
class SparkApplicationExitIT {

    /** The JVM options Spark's launcher adds on Java 17 ({@code JavaModuleOptions}). */
    static final String[] SPARK_JAVA17_OPTIONS = {
        "-XX:+IgnoreUnrecognizedVMOptions",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.net=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
        "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
        "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
        "-Djdk.reflect.useDirectMethodHandle=false",
        "-Dio.netty.tryReflectionSetAccessible=true",
    };

    private static final int LINES = 20_000;

    private static EmbeddedSqs sqs;

    @BeforeAll
    static void startServer() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stopServer() {
        sqs.close();
    }

    @Test
    void everyLineLoggedByTheTasksArrivesAfterMainReturns() throws Exception {
        String queueUrl = sqs.createQueue("spark-exit");
        String classpath = Files.readString(Path.of("target/spark-classpath.txt"), StandardCharsets.UTF_8).trim();
        ChildJvm.Result r = ChildJvm.onClasspath(Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator + classpath)
                .withJvmArgs(SPARK_JAVA17_OPTIONS)
                .withJvmArgs("-Xmx1g", "-Dsqs.queueUrl=" + queueUrl,
                        "-Dlog4j2.configurationFile=" + Path.of("target/test-classes/spark-conf/log4j2.properties").toAbsolutePath())
                .run("spark-exit", 300, SparkLoggingJob.class.getName(), String.valueOf(LINES), "8");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("webapp")).as("Spark's servlet API puts Log4j2 in web-app mode").isEqualTo("true");

        List<String> bodies = sqs.drainBodies(queueUrl, LINES, Duration.ofSeconds(10));
        assertThat(bodies).hasSize(LINES).doesNotHaveDuplicates();
        Set<String> lines = bodies.stream().map(b -> b.substring(0, b.indexOf('|'))).collect(Collectors.toSet());
        assertThat(lines).isEqualTo(IntStream.range(0, LINES).mapToObj(i -> "line " + i + " of the job")
                .collect(Collectors.toSet()));
        assertThat(bodies).allSatisfy(b -> assertThat(b).contains("|Executor task launch worker"));
        System.out.printf("[measure] spark %s (log4j-core %s, local[4]): %,d of %,d task lines delivered; job %s ms, "
                        + "child JVM %,d ms in all, %,d ms from the end of main to process exit%n",
                "4.2.0", r.printed("log4j-core"), bodies.size(), LINES, r.printed("job-millis"), r.wallMillis(),
                r.endedAtMillis() - Long.parseLong(r.printed("exit-at")));
    }
}
