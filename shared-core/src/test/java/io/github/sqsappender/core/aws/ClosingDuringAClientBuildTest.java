package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.port.SqsSender.QueueTarget;
import io.github.sqsappender.core.port.S3Put;
import io.github.sqsappender.core.port.SendFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the SQS sender or the S3 store while its client is being built. The first build initialises Netty and the
 * SDK, whose loggers may wait for the logging framework's locks, which the thread stopping the
 * appender may hold (Log4j2 stops managers under one global lock): a close that waited for the
 * build deadlocked (seen in a Log4j2 test JVM whose logging context was first created by Netty's
 * logger on the dispatcher thread).
 */
@Timeout(60)
class ClosingDuringAClientBuildTest {

    private static SqsAppenderConfig config() throws Exception {
        return SqsAppenderConfig.builder("close").set("jmx", "false")
                .set("queueUrl", "http://127.0.0.1:9/000000000000/q").build();
    }

    /** A client bundle whose closing is counted through its credentials' close. */
    private static SqsClients.OwnedClient bundle(AtomicInteger closed) {
        SqsAsyncClient client = SqsAsyncClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        return new SqsClients.OwnedClient(client, null, null, closed::incrementAndGet, null, Region.US_EAST_1);
    }

    /** A build that says it started, then waits for {@code finish} before it returns a bundle. */
    private static java.util.function.Supplier<SqsClients.OwnedClient> blockedBuild(CountDownLatch started, CountDownLatch finish,
                                                                            AtomicInteger closed) {
        return () -> {
            started.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return bundle(closed);
        };
    }

    /** A sender whose client build blocks: {@code building} says it started, {@code finishBuild} lets it end. */
    private record BlockedBuild(CountDownLatch building, CountDownLatch finishBuild, AtomicInteger closed, SdkSqsSender sender) {
        static BlockedBuild start() throws Exception {
            CountDownLatch building = new CountDownLatch(1);
            CountDownLatch finishBuild = new CountDownLatch(1);
            AtomicInteger closed = new AtomicInteger();
            return new BlockedBuild(building, finishBuild, closed,
                    SdkSqsSender.withClients(config(), blockedBuild(building, finishBuild, closed)));
        }
    }

    @Test
    void closeDoesNotWaitForABuildInProgressAndTheBuildClosesWhatItBuilt() throws Exception {
        BlockedBuild b = BlockedBuild.start();
        CompletableFuture<CompletableFuture<QueueTarget>> resolving = CompletableFuture.supplyAsync(b.sender()::resolveQueue);
        assertThat(b.building().await(10, TimeUnit.SECONDS)).as("the build started").isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(b.sender()::close);
        closing.get(10, TimeUnit.SECONDS); // before: blocked until the build ended, here never

        b.finishBuild().countDown();
        CompletableFuture<QueueTarget> target = resolving.get(10, TimeUnit.SECONDS);
        assertThat(target).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingRootCause()
                .isInstanceOf(SendFailure.class).withMessageContaining("stopping");
        assertThat(b.closed()).as("the client built after the close is closed by its builder").hasValue(1);
        assertThat(b.sender().sharedClient()).isNull();
    }

    @Test
    void aStopWithNothingToDeliverDoesNotWaitForTheClientBuild() throws Exception {
        BlockedBuild b = BlockedBuild.start();
        io.github.sqsappender.core.testing.RecordingStatus status = new io.github.sqsappender.core.testing.RecordingStatus();
        io.github.sqsappender.core.SqsPipeline pipeline = io.github.sqsappender.core.SqsPipeline.builder(config(), status)
                .sender(b.sender()).build();
        pipeline.start();
        assertThat(b.building().await(10, TimeUnit.SECONDS)).as("the build started").isTrue();
        // A Logback reset right after start (Spring Boot's): before, the dispatcher itself was in the
        // build, and the stop waited for it until its join gave up.
        assertThat(pipeline.stop(1_000)).isTrue();
        assertThat(b.finishBuild().getCount()).as("the build is still under way").isEqualTo(1);
        assertThat(status.errors).as("the dispatcher finished").isEmpty();
        b.finishBuild().countDown();
        io.github.sqsappender.core.testing.Await.until("the late build closes what it built", () -> b.closed().get() == 1);
    }

    @Test
    void aClientBuiltBeforeTheCloseIsClosedByIt() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        SdkSqsSender sender = SdkSqsSender.withClients(config(), () -> bundle(closed));
        assertThat(sender.sharedClient()).isNotNull();
        assertThat(sender.sharedClient()).as("built once").isSameAs(sender.sharedClient());
        sender.close();
        assertThat(closed).hasValue(1);
    }

    @Test
    void closingTheS3StoreDoesNotWaitForItsClientBeingBuilt() throws Exception {
        // The S3 client's build starts with the SQS client's (to share its event loops): block there.
        BlockedBuild b = BlockedBuild.start();
        SdkS3Store s3 = new SdkS3Store(config(), b.sender());
        CompletableFuture<CompletableFuture<Void>> putting = CompletableFuture.supplyAsync(() -> s3.put(
                new S3Put("bucket", "key", new byte[] {'x'}, "text/plain", null)));
        assertThat(b.building().await(10, TimeUnit.SECONDS)).as("the build started").isTrue();

        CompletableFuture.runAsync(s3::close).get(10, TimeUnit.SECONDS); // before: blocked until the build ended

        b.finishBuild().countDown();
        assertThat(putting.get(10, TimeUnit.SECONDS)).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().isInstanceOf(SendFailure.class).withMessageContaining("stopping");
        b.sender().close();
        assertThat(b.closed()).as("the SQS bundle built for it is closed with the sender").hasValue(1);
    }
}
