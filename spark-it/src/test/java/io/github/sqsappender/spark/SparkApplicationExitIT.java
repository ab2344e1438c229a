package io.github.sqsappender.spark;

import io.github.sqsappender.core.testing.ChildJvm;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.WithEmbeddedSqs;
import io.github.sqsappender.reader.LogMessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spark application in a child JVM — Spark's own Log4j2, Netty, Jackson and servlet API on
 * its class path, plus the {@code sqs-appender-all} jar and nothing else of ours, configured from a
 * Spark-style {@code log4j2.properties} — whose tasks log and whose {@code main} returns after
 * {@code spark.stop()}. Every line must reach the queue. The same tests run on Spark 4
 * ({@code spark-it}) and Spark 3.5 ({@code spark35-it}).
 */
@Timeout(600)
@ExtendWith(WithEmbeddedSqs.class)
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

    private static final int LINES = 5_000;
    private static final int CLUSTER_LINES = 100_000;
    private static final int BURST_LINES = 200_000;
    private static final int EXECUTOR_LINES = 20_000;
    private static final String SPARK_VERSION = System.getProperty("spark.version", "unknown");


    /** Runs the job in a child JVM on Spark's class path plus the sqs-appender-all jar, nothing else of ours. */
    private static ChildJvm.Result runJob(String name, String queueUrl, String config, int lines, int partitions,
                                          String... jvmArgs) throws Exception {
        String classpath = Files.readString(Path.of("target/spark-classpath.txt"), StandardCharsets.UTF_8).trim();
        assertThat(classpath).as("the application's class path has the one jar and none of our module jars")
                .contains("sqs-appender-all-").doesNotContain("sqs-appender-core-").doesNotContain("sqs-appender-log4j2-");
        ChildJvm.Result r = ChildJvm.onClasspath(Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator + classpath)
                .withJvmArgs(SPARK_JAVA17_OPTIONS)
                .withJvmArgs("-Xmx1g", "-Dsqs.queueUrl=" + queueUrl,
                        "-Dlog4j2.configurationFile=" + Path.of("target/test-classes/spark-conf/" + config).toAbsolutePath())
                .withJvmArgs(jvmArgs)
                .run(name, 300, SparkLoggingJob.class.getName(), String.valueOf(lines), String.valueOf(partitions));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("spark")).isEqualTo(SPARK_VERSION);
        assertThat(r.printed("netty")).as("Spark's own Netty, untouched by ours").isEqualTo(System.getProperty("spark.netty.version"));
        assertThat(r.printed("appender-jar")).as("the plugin was found in the one jar").contains("sqs-appender-all-");
        assertThat(r.printed("webapp")).as("Spark's servlet API puts Log4j2 in web-app mode").isEqualTo("true");
        return r;
    }

    private static Set<String> expectedLines(int lines) {
        return IntStream.range(0, lines).mapToObj(i -> "line " + i + " of the job").collect(Collectors.toSet());
    }

    @Test
    void everyLineLoggedByTheTasksArrivesAfterMainReturns(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("spark-exit");
        ChildJvm.Result r = runJob("spark-exit", queueUrl, "log4j2.properties", LINES, 8);

        List<String> bodies = sqs.drainBodies(queueUrl, LINES, Duration.ofSeconds(10));
        assertThat(bodies).hasSize(LINES).doesNotHaveDuplicates();
        Set<String> lines = bodies.stream().map(b -> b.substring(0, b.indexOf('|'))).collect(Collectors.toSet());
        assertThat(lines).isEqualTo(expectedLines(LINES));
        assertThat(bodies).allSatisfy(b -> assertThat(b).contains("|Executor task launch worker"));
        System.out.printf("[measure] spark %s (log4j-core %s, netty %s, local[4], one message per line): %,d of %,d task "
                        + "lines delivered; job %s ms, child JVM %,d ms in all, %,d ms from the end of main to process exit%n",
                SPARK_VERSION, r.printed("log4j-core"), r.printed("netty"), bodies.size(), LINES, r.printed("job-millis"),
                r.wallMillis(), r.endedAtMillis() - Long.parseLong(r.printed("exit-at")));
    }

    /**
     * Executors in JVMs of their own, as on a cluster: Spark's standalone master and two workers in
     * the driver's JVM ({@code local-cluster}), each executor a {@code CoarseGrainedExecutorBackend}
     * process started by its worker, with the driver's class path (Spark's test mode) and the
     * log4j2.properties given in {@code spark.executor.extraJavaOptions}, as on a cluster. At
     * {@code spark.stop()} the workers end their executors (SIGTERM, a kill 10 s later): what each
     * executor's appender holds must arrive before that.
     */
    /**
     * The driver's JVM options for a {@code local-cluster[2,1,1024]} session: two workers, each
     * starting one executor JVM of one core with the driver's class path (Spark's test mode, as
     * Spark's own tests run it) and {@code executorOptions} (plus dummy credentials) as its
     * {@code spark.executor.extraJavaOptions}; the first task waits until both are registered.
     */
    static String[] localCluster(Path sparkHome, String... executorOptions) {
        List<String> options = new ArrayList<>(List.of(executorOptions));
        options.addAll(List.of("-Daws.accessKeyId=test", "-Daws.secretAccessKey=test", "-Daws.region=us-east-1",
                "-Daws.disableEc2Metadata=true", "-XX:TieredStopAtLevel=1"));
        return new String[] {"-Djob.master=local-cluster[2,1,1024]", "-Dspark.testing=1", "-Dspark.test.home=" + sparkHome,
            "-Dspark.executorEnv.SPARK_TESTING=1", "-Dspark.executorEnv.SPARK_SCALA_VERSION=2.13",
            "-Dspark.executor.extraJavaOptions=" + String.join(" ", options),
            "-Dspark.scheduler.minRegisteredResourcesRatio=1.0", "-Dspark.scheduler.maxRegisteredResourcesWaitingTime=120s"};
    }

    @Test
    void linesLoggedInExecutorJvmsOfTheirOwnArriveWhenTheClusterEndsThem(EmbeddedSqs sqs,
            @org.junit.jupiter.api.io.TempDir Path sparkHome) throws Exception {
        String queueUrl = sqs.createQueue("spark-executors");
        String conf = Path.of("target/test-classes/spark-conf/log4j2-executors.properties").toAbsolutePath().toString();
        ChildJvm.Result r = runJob("spark-executors", queueUrl, "log4j2-executors.properties", EXECUTOR_LINES, 4,
                localCluster(sparkHome, "-Dsqs.queueUrl=" + queueUrl, "-Dlog4j2.configurationFile=" + conf));

        int messages = (int) sqs.approximateDepth(queueUrl);
        List<String> events = new ArrayList<>(EXECUTOR_LINES);
        for (Message m : sqs.drain(queueUrl, messages, Duration.ofSeconds(10))) {
            Map<String, String> attributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
            events.addAll(LogMessageReader.events(m.messageId(), m.body(), attributes));
        }
        assertThat(events).hasSize(EXECUTOR_LINES).doesNotHaveDuplicates();
        assertThat(events.stream().map(e -> e.substring(0, e.indexOf('|'))).collect(Collectors.toSet()))
                .isEqualTo(expectedLines(EXECUTOR_LINES));
        Set<String> pids = events.stream().map(e -> e.substring(e.indexOf('|') + 1)).collect(Collectors.toSet());
        assertThat(pids).as("logged in two executor JVMs, not in the driver's").hasSize(2)
                .doesNotContain(r.printed("driver-pid"));
        System.out.printf("[measure] spark %s (local-cluster, 2 executor JVMs, packing=ndjson gzip): %,d of %,d task lines "
                        + "delivered; job %s ms, child JVM %,d ms in all%n",
                SPARK_VERSION, events.size(), EXECUTOR_LINES, r.printed("job-millis"), r.wallMillis());
    }

    @Test
    void aBurstOfTwoHundredThousandShortTaskLinesArrivesWithPackingAndOtherwiseDefaults(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("spark-burst");
        ChildJvm.Result r = runJob("spark-burst", queueUrl, "log4j2-burst.properties", BURST_LINES, 4);

        int messages = (int) sqs.approximateDepth(queueUrl);
        List<Message> received = sqs.drain(queueUrl, messages, Duration.ofSeconds(10));
        List<String> events = new ArrayList<>(BURST_LINES);
        for (Message m : received) {
            Map<String, String> attributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
            events.addAll(LogMessageReader.events(m.messageId(), m.body(), attributes));
        }
        assertThat(events).hasSize(BURST_LINES).doesNotHaveDuplicates();
        assertThat(Set.copyOf(events)).isEqualTo(expectedLines(BURST_LINES));
        System.out.printf("[measure] spark %s (local[4], 4 tasks, packing=ndjson, defaults otherwise): %,d of %,d short task "
                        + "lines delivered in %,d messages; job %s ms, child JVM %,d ms in all%n",
                SPARK_VERSION, events.size(), BURST_LINES, messages, r.printed("job-millis"), r.wallMillis());
    }

    @Test
    void aHundredThousandExecutorLinesArrivePackedAndGzipedAfterMainReturns(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("spark-cluster");
        ChildJvm.Result r = runJob("spark-cluster", queueUrl, "log4j2-cluster.properties", CLUSTER_LINES, 16);

        int messages = (int) sqs.approximateDepth(queueUrl);
        List<Message> received = sqs.drain(queueUrl, messages, Duration.ofSeconds(10));
        assertThat(received).hasSize(messages);
        List<String> events = new ArrayList<>(CLUSTER_LINES);
        for (Message m : received) {
            Map<String, String> attributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
            assertThat(attributes).containsEntry(LogMessageReader.CONTENT_ENCODING, LogMessageReader.GZIP_BASE64);
            events.addAll(LogMessageReader.events(m.messageId(), m.body(), attributes));
        }
        assertThat(events).hasSize(CLUSTER_LINES).doesNotHaveDuplicates();
        assertThat(events.stream().map(e -> e.substring(0, e.indexOf('|'))).collect(Collectors.toSet()))
                .isEqualTo(expectedLines(CLUSTER_LINES));
        assertThat(events).allSatisfy(e -> assertThat(e).contains("|Executor task launch worker"));
        System.out.printf("[measure] spark %s (log4j-core %s, netty %s, local[4], 16 tasks, packing=ndjson gzip): %,d of %,d "
                        + "task lines delivered in %,d messages; job %s ms, child JVM %,d ms in all, %,d ms from the end "
                        + "of main to process exit%n",
                SPARK_VERSION, r.printed("log4j-core"), r.printed("netty"), events.size(), CLUSTER_LINES, messages,
                r.printed("job-millis"), r.wallMillis(), r.endedAtMillis() - Long.parseLong(r.printed("exit-at")));
    }
}
