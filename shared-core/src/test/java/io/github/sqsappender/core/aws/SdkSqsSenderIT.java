package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsPipeline;
import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.testing.Await;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.QueueAttributesStub;
import io.github.sqsappender.core.testing.RecordingStatus;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDK sender against ElasticMQ speaking SQS's wire protocol on loopback. */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(120)
class SdkSqsSenderIT {

    static EmbeddedSqs sqs;

    @BeforeAll
    static void startServer(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    private static SqsAppenderConfig config(String... attributes) throws Exception {
        SqsAppenderConfig.Builder b = SqsAppenderConfig.builder("it").set("jmx", "false");
        for (int i = 0; i < attributes.length; i += 2) {
            b.set(attributes[i], attributes[i + 1]);
        }
        return b.build();
    }

    @Test
    void resolvesQueueByNameOnItsOwnAndDefaultsTheLimitWhenTheQueueDoesNotReportIt() throws Exception {
        String url = sqs.createQueue("by-name");
        try (SdkSqsSender sender = SdkSqsSender.create(config("queueName", "by-name", "endpoint", sqs.endpoint(),
                "region", "us-east-1"))) {
            SqsSender.QueueTarget target = sender.resolveQueue().join();
            assertThat(target.queueUrl()).isEqualTo(url);
            assertThat(target.maxMessageBytes()).isEqualTo(SqsAppenderConfig.DEFAULT_MAX_MESSAGE_BYTES);
        }
    }

    @Test
    void resolvingTheQueueWarmsTheSendPathWithAnEmptyBatchThatStoresNothing() throws Exception {
        String url = sqs.createQueue("warm-up");
        try (io.github.sqsappender.core.testing.FaultProxy proxy = io.github.sqsappender.core.testing.FaultProxy.start(sqs.endpoint());
             SdkSqsSender sender = SdkSqsSender.create(config("queueUrl", proxy.viaProxy(url)))) {
            sender.resolveQueue().join();
            Await.until("the warm-up request reached the server", Duration.ofSeconds(30), () -> proxy.warmUpRequests() == 1);
            assertThat(proxy.sendBatchRequests()).as("no batch with entries").isZero();
            assertThat(sqs.approximateDepth(url)).as("nothing stored").isZero();
        }
    }

    @Test
    void missingQueueIsAPermanentFailure() throws Exception {
        try (SdkSqsSender sender = SdkSqsSender.create(config("queueName", "does-not-exist", "endpoint", sqs.endpoint()))) {
            assertThatThrownBy(() -> sender.resolveQueue().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(SendFailure.class, f -> assertThat(f.retryable()).isFalse());
        }
    }

    @Test
    void sendsABatchWithAttributesAndTakesTheEndpointFromANonAwsQueueUrl() throws Exception {
        String url = sqs.createQueue("batch");
        try (SdkSqsSender sender = SdkSqsSender.create(config("queueUrl", url))) {
            SqsSender.QueueTarget target = sender.resolveQueue().join();
            WireMessage m = new WireMessage("hello", 5, List.of(new io.github.sqsappender.core.text.MessageAttribute(
                    "level", "String", "WARN")), null, null);
            SqsSender.BatchResult result = sender.sendBatch(target.queueUrl(), List.of(
                    new SqsSender.BatchEntry("0", m), new SqsSender.BatchEntry("1", WireMessage.of("world")))).join();
            assertThat(result.failures()).isEmpty();
        }
        List<Message> received = sqs.drain(url, 2, Duration.ofSeconds(5));
        assertThat(received).extracting(Message::body).containsExactlyInAnyOrder("hello", "world");
        assertThat(received).filteredOn(msg -> msg.body().equals("hello"))
                .first().satisfies(msg -> assertThat(msg.messageAttributes().get("level").stringValue()).isEqualTo("WARN"));
    }

    @Test
    void aBatchStoredIsNotSentAgainWhenTheAnswerReportsAnotherMd5OfItsBody() throws Exception {
        // The request is signed with the SHA-256 of its payload, which SQS checks: comparing MD5s
        // as well would only turn an answer like this one into a retry, and the retry into duplicates.
        String url = sqs.createQueue("foreign-md5");
        try (io.github.sqsappender.core.testing.FaultProxy proxy = io.github.sqsappender.core.testing.FaultProxy.start(sqs.endpoint());
             SdkSqsSender sender = SdkSqsSender.create(config("queueUrl", proxy.viaProxy(url)))) {
            proxy.next(io.github.sqsappender.core.testing.FaultProxy.Fault.of(io.github.sqsappender.core.testing.FaultProxy.Kind.FOREIGN_MD5), 1);
            SqsSender.QueueTarget target = sender.resolveQueue().join();
            SqsSender.BatchResult result = sender.sendBatch(target.queueUrl(), List.of(
                    new SqsSender.BatchEntry("0", WireMessage.of("hello")))).join();
            assertThat(result.failures()).isEmpty();
            assertThat(proxy.faultsInjected()).isEqualTo(1);
        }
        assertThat(sqs.drain(url, 1, Duration.ofSeconds(5))).extracting(Message::body).containsExactly("hello");
    }

    @Test
    void connectionRefusedIsRetryable() throws Exception {
        int port = EmbeddedSqs.freePort();
        try (SdkSqsSender sender = SdkSqsSender.create(config("queueUrl", "http://127.0.0.1:" + port + "/000000000000/q",
                "maxMessageBytes", "1024"))) {
            String url = sender.resolveQueue().join().queueUrl();
            assertThatThrownBy(() -> sender.sendBatch(url, List.of(new SqsSender.BatchEntry("0", WireMessage.of("x")))).join())
                    .cause().isInstanceOfSatisfying(SendFailure.class, f -> assertThat(f.retryable()).isTrue());
        }
    }

    @Test
    void aProfileWithoutCredentialsIsARetryableFailureThatSaysSo() throws Exception {
        sqs.createQueue("no-credentials");
        try (SdkSqsSender sender = SdkSqsSender.create(config("queueName", "no-credentials", "endpoint", sqs.endpoint(),
                "profile", "sqs-appender-test-profile-that-does-not-exist"))) {
            assertThatThrownBy(() -> sender.resolveQueue().join())
                    .cause().isInstanceOfSatisfying(SendFailure.class, f -> {
                        assertThat(f.noCredentials()).as(f.getMessage()).isTrue();
                        assertThat(f.retryable()).as("credentials may still come while the appender runs").isTrue();
                        assertThat(f.code()).isEqualTo(SendFailure.NO_CREDENTIALS);
                    });
        }
    }

    @Test
    void withMaxMessageBytesSetAProfileWithoutCredentialsStillFailsTheLookup() throws Exception {
        String url = sqs.createQueue("no-credentials-limit-set");
        try (SdkSqsSender sender = SdkSqsSender.create(config("queueUrl", url, "maxMessageBytes", "4096",
                "profile", "sqs-appender-test-profile-that-does-not-exist"))) {
            assertThatThrownBy(() -> sender.resolveQueue().join())
                    .cause().isInstanceOfSatisfying(SendFailure.class, f -> assertThat(f.noCredentials()).isTrue());
        }
    }

    @Test
    void withMaxMessageBytesSetAClientThatOnlySendsStillResolvesTheQueueWithTheConfiguredLimit() throws Exception {
        try (SdkSqsSender sender = SdkSqsSender.create(config("queueUrl", "https://sqs.us-east-1.amazonaws.com/1/q",
                "maxMessageBytes", "4096", "clientFactory", SendOnlyClientFactory.class.getName()))) {
            SqsSender.QueueTarget target = sender.resolveQueue().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(target.maxMessageBytes()).isEqualTo(4096);
            assertThat(target.queueLimitBelowConfigured()).isFalse();
        }
    }

    @Test
    void withMaxMessageBytesSetAnEndpointThatDoesNotAnswerDelaysTheLookupAFewSecondsOnly() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             SdkSqsSender sender = SdkSqsSender.create(config("queueUrl",
                     "http://127.0.0.1:" + silent.getLocalPort() + "/000000000000/q", "maxMessageBytes", "4096"))) {
            // Connections are accepted by the kernel and never answered: the read gives up at its own
            // timeout, not at the client's 30 s one, and the configured limit applies.
            SqsSender.QueueTarget target = sender.resolveQueue().get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(target.maxMessageBytes()).isEqualTo(4096);
        }
    }

    @Test
    void anEmptyDefaultCredentialsChainIsANoCredentialsFailure() {
        // The SDK's own chain with nothing in it: what an application without credentials meets.
        software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain chain =
                software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain.of(
                        software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.create(
                                "sqs-appender-test-profile-that-does-not-exist"),
                        software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider.builder().build());
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(chain::resolveCredentials);
        SendFailure failure = SdkFailures.classify(new CompletionException(
                software.amazon.awssdk.core.exception.SdkClientException.create("wrapped", thrown)));
        assertThat(failure.noCredentials()).as(failure.getMessage()).isTrue();
        assertThat(SdkFailures.classify(new java.io.IOException("Connection refused")).noCredentials()).isFalse();
    }

    @Test
    void regionComesFromTheQueueUrlHost() {
        assertThat(SqsClients.regionFromQueueUrl(URI.create("https://sqs.eu-central-1.amazonaws.com/1/q"))).isEqualTo("eu-central-1");
        assertThat(SqsClients.regionFromQueueUrl(URI.create("https://us-west-2.queue.amazonaws.com/1/q"))).isEqualTo("us-west-2");
        assertThat(SqsClients.regionFromQueueUrl(URI.create("https://sqs.cn-north-1.amazonaws.com.cn/1/q"))).isEqualTo("cn-north-1");
        assertThat(SqsClients.regionFromQueueUrl(URI.create("http://localhost:9324/000000000000/q"))).isNull();
    }

    @Test
    void pipelineDeliversEverythingThroughTheSdkAfterAnOutageAtStartup() throws Exception {
        int port = EmbeddedSqs.freePort();
        String url = "http://127.0.0.1:" + port + "/000000000000/late";
        RecordingStatus status = new RecordingStatus();
        SqsPipeline pipeline = SqsPipeline.create(config("queueUrl", url, "deliveryTimeoutMs", "60000"), status);
        pipeline.start();
        // The server starts only after every call has returned: a call that waited for the network
        // would never return, and the test would end at its timeout.
        for (int i = 0; i < 500; i++) {
            pipeline.append("event-" + i, "x", io.github.sqsappender.core.testing.StringEvents.INFO);
        }
        // Nothing is listening: wait until the appender has seen the failure, then start the server.
        Await.until("the pipeline has met the dead endpoint", () -> !pipeline.metrics().getLastError().isEmpty());
        try (EmbeddedSqs late = EmbeddedSqs.startOn(port)) {
            late.createQueue("late");
            assertThat(pipeline.flush(60_000)).isTrue();
            assertThat(pipeline.stop(10_000)).isTrue();
            assertThat(late.drainBodies(url, 500, Duration.ofSeconds(5))).hasSize(500).doesNotHaveDuplicates();
        }
    }

    /** A started pipeline sending through {@code stub} to {@code url}, with one 5,000-byte event appended. */
    private static SqsPipeline startedWithALargeEvent(QueueAttributesStub stub, String url, RecordingStatus status,
                                                      String... attributes) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("queueUrl", url, "endpoint", stub.endpoint()));
        all.addAll(List.of(attributes));
        SqsPipeline pipeline = SqsPipeline.create(config(all.toArray(String[]::new)), status);
        pipeline.start();
        pipeline.append("y".repeat(5_000), "x", io.github.sqsappender.core.testing.StringEvents.INFO);
        return pipeline;
    }

    @Test
    void usesTheMaximumMessageSizeTheQueueReports() throws Exception {
        String url = sqs.createQueue("reported-limit");
        try (QueueAttributesStub stub = new QueueAttributesStub(sqs.endpoint(), 1024)) {
            RecordingStatus status = new RecordingStatus();
            SqsPipeline pipeline = startedWithALargeEvent(stub, url, status);
            assertThat(pipeline.flush(30_000)).isTrue();
            assertThat(pipeline.stop(5_000)).isTrue();
            assertThat(status.infos).anySatisfy(i -> assertThat(i).contains("maxMessageBytes=1024"));
        }
        List<String> bodies = sqs.drainBodies(url, 1, Duration.ofSeconds(5));
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        assertThat(bodies.get(0)).endsWith("bytes]");
    }

    @Test
    void aConfiguredMaxMessageBytesAboveTheQueuesLimitGivesWayToItWithAWarning() throws Exception {
        String url = sqs.createQueue("limit-below-configured");
        try (QueueAttributesStub stub = new QueueAttributesStub(sqs.endpoint(), 1024)) {
            RecordingStatus status = new RecordingStatus();
            SqsPipeline pipeline = startedWithALargeEvent(stub, url, status, "maxMessageBytes", "4096", "packing", "ndjson");
            for (int i = 0; i < 40; i++) {
                pipeline.append("line " + i + " " + "z".repeat(90), "x", io.github.sqsappender.core.testing.StringEvents.INFO);
            }
            assertThat(pipeline.flush(30_000)).isTrue();
            assertThat(pipeline.stop(5_000)).isTrue();
            assertThat(status.warnings).anySatisfy(w -> assertThat(w).contains("maxMessageBytes=4096")
                    .contains("MaximumMessageSize (1024)"));
            assertThat(pipeline.metrics().getEventsSent()).isEqualTo(41);
        }
        List<String> bodies = sqs.drainBodies(url, 1, Duration.ofSeconds(5));
        assertThat(bodies).hasSizeGreaterThan(1)
                .allSatisfy(b -> assertThat(b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024));
        assertThat(bodies).anySatisfy(b -> assertThat(b).endsWith("bytes]")); // the large event, truncated to the queue's limit
    }

    @Test
    void aConfiguredMaxMessageBytesBelowTheQueuesLimitApplies() throws Exception {
        String url = sqs.createQueue("limit-above-configured");
        try (QueueAttributesStub stub = new QueueAttributesStub(sqs.endpoint(), 1_048_576)) {
            RecordingStatus status = new RecordingStatus();
            SqsPipeline pipeline = startedWithALargeEvent(stub, url, status, "maxMessageBytes", "2048");
            assertThat(pipeline.flush(30_000)).isTrue();
            assertThat(pipeline.stop(5_000)).isTrue();
            assertThat(status.infos).anySatisfy(i -> assertThat(i).contains("maxMessageBytes=2048"));
            assertThat(status.warnings).noneSatisfy(w -> assertThat(w).contains("MaximumMessageSize"));
        }
        List<String> bodies = sqs.drainBodies(url, 1, Duration.ofSeconds(5));
        assertThat(bodies).singleElement().satisfies(b -> assertThat(b.length()).isGreaterThan(1024).isLessThanOrEqualTo(2048));
    }

    @Test
    void metricsAreReadableOverJmx() throws Exception {
        String url = sqs.createQueue("jmx");
        SqsAppenderConfig config = SqsAppenderConfig.builder("jmx-it").set("queueUrl", url).build();
        SqsPipeline pipeline = SqsPipeline.create(config, new RecordingStatus());
        pipeline.start();
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name = new javax.management.ObjectName("io.github.sqsappender:type=SqsAppender,name=jmx-it");
        try {
            for (int i = 0; i < 3; i++) {
                pipeline.append("m" + i, "x", io.github.sqsappender.core.testing.StringEvents.INFO);
            }
            assertThat(pipeline.flush(30_000)).isTrue();
            assertThat(server.getAttribute(name, "EventsAppended")).isEqualTo(3L);
            assertThat(server.getAttribute(name, "EventsSent")).isEqualTo(3L);
            assertThat(server.getAttribute(name, "BatchRequests")).isEqualTo(1L);
            assertThat(server.getAttribute(name, "BilledRequestUnits")).isEqualTo(1L);
        } finally {
            pipeline.stop(5_000);
        }
        assertThat(server.isRegistered(name)).isFalse();
    }
}
