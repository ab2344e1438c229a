package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.EventAccessor;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.SqsPipeline;
import io.github.sqsappender.core.testing.Await;
import io.github.sqsappender.core.testing.EmbeddedS3;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.RecordingStatus;
import io.github.sqsappender.core.testing.StringEvents;
import io.github.sqsappender.core.testing.WithEmbeddedSqs;
import io.github.sqsappender.reader.S3Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code httpClient} through the real SDK against ElasticMQ and an S3-compatible server on
 * loopback: batches, a lookup, an S3 offload and its pointer, and no thread of the appender's left
 * after the stop.
 */
@Timeout(180)
@ExtendWith(WithEmbeddedSqs.class)
class HttpClientsIT {

    private static final int EVENTS = 3_000;
    private static final EventAccessor<String> ACCESSOR = StringEvents.INFO;

    private static EmbeddedS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = EmbeddedS3.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "crt", "apache"})
    void deliversBatchesAndOffloadsWithEachClientAndLeavesNoThreadBehind(String httpClient, EmbeddedSqs sqs) throws Exception {
        String queueName = "http-" + httpClient;
        sqs.createQueue(queueName);
        String bucket = "http-client-" + httpClient;
        s3.createBucket(bucket);
        String name = "http-" + httpClient;
        SqsAppenderConfig config = SqsAppenderConfig.builder(name)
                .set("queueName", queueName) // a GetQueueUrl lookup through the client too
                .set("endpoint", sqs.endpoint())
                .set("region", "us-east-1")
                .set("httpClient", httpClient)
                .set("largeMessagePolicy", "s3")
                .set("s3Bucket", bucket)
                .set("s3Endpoint", s3.endpoint())
                .set("jmx", "false")
                .build();
        RecordingStatus status = new RecordingStatus();
        SqsPipeline pipeline = SqsPipeline.create(config, status);
        pipeline.start();
        String large = "L".repeat(300_000) + " é中😀"; // over ElasticMQ's 256 KiB limit
        pipeline.append(large, large, ACCESSOR);
        for (int i = 0; i < EVENTS; i++) {
            String body = "event " + i + " via " + httpClient;
            pipeline.append(body, body, ACCESSOR);
        }
        Await.until("a first batch sent", () -> pipeline.metrics().getEventsSent() > 0);
        // Which client sent it shows in whose threads exist: Netty's event loops are ours
        // (-io-), the blocking client's workers are ours (-http-), the CRT's are its own.
        List<String> threads = appenderThreads(name);
        String io = "sqs-appender-" + name + "-io-";
        String workers = "sqs-appender-" + name + "-http-";
        switch (httpClient) {
            case "netty" -> assertThat(threads).anyMatch(t -> t.startsWith(io)).noneMatch(t -> t.startsWith(workers));
            case "apache" -> assertThat(threads).anyMatch(t -> t.startsWith(workers)).noneMatch(t -> t.startsWith(io));
            default -> assertThat(threads).noneMatch(t -> t.startsWith(io) || t.startsWith(workers));
        }
        assertThat(pipeline.stop(30_000)).as(status.all()).isTrue();

        SqsAppenderMetrics m = pipeline.metrics();
        assertThat(m.getEventsSent()).as(status.all()).isEqualTo(EVENTS + 1);
        assertThat(m.getEventsOffloaded()).isEqualTo(1);
        assertThat(m.getEventsDropped()).isZero();
        List<String> bodies = sqs.drainBodies(sqs.queueUrl(queueName), EVENTS + 1, Duration.ofSeconds(5));
        Set<String> expected = IntStream.range(0, EVENTS).mapToObj(i -> "event " + i + " via " + httpClient)
                .collect(Collectors.toCollection(HashSet::new));
        List<String> pointers = bodies.stream().filter(b -> !expected.contains(b)).collect(Collectors.toList());
        assertThat(new HashSet<>(bodies)).containsAll(expected);
        assertThat(pointers).hasSize(1);
        S3Pointer pointer = S3Pointer.parse(pointers.get(0));
        assertThat(pointer.bucket()).isEqualTo(bucket);
        assertThat(new String(s3.get(bucket, pointer.key()).asByteArray(), StandardCharsets.UTF_8)).isEqualTo(large);

        assertThat(appenderThreads(name)).as("the appender's threads after the stop").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aStopWithCallsInFlightToEndpointsThatNeverAnswerLeavesNoThreadBehind() throws Exception {
        // A web application undeployed while SQS and S3 do not answer: the SDK's own scheduler would
        // keep each call's pending timeout (30 s, 60 s) and its thread, pinning the application.
        Set<Thread> sdkSchedulersBefore = sdkSchedulerThreads();
        try (java.net.ServerSocket silentSqs = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             java.net.ServerSocket silentS3 = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<java.net.Socket> sqsCall = acceptOne(silentSqs);
            java.util.concurrent.CompletableFuture<java.net.Socket> s3Call = acceptOne(silentS3);
            String name = "http-silent";
            SqsAppenderConfig config = SqsAppenderConfig.builder(name)
                    .set("queueUrl", "http://127.0.0.1:" + silentSqs.getLocalPort() + "/000000000000/q")
                    .set("region", "us-east-1")
                    .set("maxMessageBytes", "1024")
                    .set("largeMessagePolicy", "s3")
                    .set("s3Bucket", "silent-bucket")
                    .set("s3Endpoint", "http://127.0.0.1:" + silentS3.getLocalPort())
                    .set("jmx", "false")
                    .build();
            RecordingStatus status = new RecordingStatus();
            SqsPipeline pipeline = SqsPipeline.create(config, status);
            pipeline.start();
            String large = "L".repeat(2_000);
            pipeline.append(large, large, ACCESSOR);
            pipeline.append("small", "small", ACCESSOR);
            try (java.net.Socket sqs = sqsCall.get(30, java.util.concurrent.TimeUnit.SECONDS);
                 java.net.Socket s3 = s3Call.get(30, java.util.concurrent.TimeUnit.SECONDS)) {
                assertThat(pipeline.stop(500)).isFalse();
                assertThat(appenderThreads(name)).as("the appender's threads after the stop").isEmpty();
                Set<Thread> sdkSchedulers = sdkSchedulerThreads();
                sdkSchedulers.removeAll(sdkSchedulersBefore);
                assertThat(sdkSchedulers).as("SDK scheduler threads the stop left").isEmpty();
            }
            assertThat(pipeline.metrics().getEventsDropped()).isEqualTo(2);
        }
    }

    private static java.util.concurrent.CompletableFuture<java.net.Socket> acceptOne(java.net.ServerSocket server) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept(); // and never answered
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static Set<Thread> sdkSchedulerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("sdk-ScheduledExecutor"))
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static List<String> appenderThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("sqs-appender-" + name + "-")).collect(Collectors.toList());
    }
}
