package io.github.sqsappender.core.testing;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An in-process ElasticMQ server on a loopback port, speaking SQS's real wire protocol, plus a
 * real SDK client to create queues and read them back. Never touches the network beyond
 * 127.0.0.1.
 */
public final class EmbeddedSqs implements AutoCloseable {

    private final int port;
    private final SQSRestServer server;
    private final SqsAsyncClient client;

    private EmbeddedSqs(int port) {
        this.port = port;
        this.server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .start();
        this.server.waitUntilStarted();
        this.client = SqsAsyncClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build();
    }

    /** Starts a server on a free loopback port. */
    public static EmbeddedSqs start() {
        return new EmbeddedSqs(freePort());
    }

    /** Starts a server on {@code port} (e.g. one reserved earlier with {@link #freePort()}). */
    public static EmbeddedSqs startOn(int port) {
        return new EmbeddedSqs(port);
    }

    /** A loopback port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The URL a queue called {@code name} has (or will have) on this server. */
    public String queueUrl(String name) {
        return endpoint() + "/000000000000/" + name;
    }

    public String createQueue(String name) {
        return createQueue(name, Map.of());
    }

    public String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        return client.createQueue(b -> b.queueName(name).attributes(attributes)).join().queueUrl();
    }

    public SqsAsyncClient client() {
        return client;
    }

    /**
     * Receives messages until {@code expected} have arrived or the queue stays empty for
     * {@code idle}, then looks once more without waiting, so that anything beyond {@code expected}
     * that is already there (a duplicate) is returned too. Returns them in receive order.
     *
     * <p>A standard queue's messages are not deleted but hidden for 12 hours, which halves the
     * server's work; a FIFO queue's are deleted, as its next messages of a group wait for that.
     */
    public List<Message> drain(String queueUrl, int expected, Duration idle) {
        boolean fifo = queueUrl.endsWith(".fifo");
        List<Message> received = new ArrayList<>();
        long idleSince = System.nanoTime();
        while (received.size() < expected && System.nanoTime() - idleSince < idle.toNanos()) {
            List<Message> messages = receive(queueUrl, fifo, 1);
            if (!messages.isEmpty()) {
                idleSince = System.nanoTime();
                received.addAll(messages);
            }
        }
        if (received.size() >= expected) {
            received.addAll(receive(queueUrl, fifo, 0));
        }
        return received;
    }

    private List<Message> receive(String queueUrl, boolean fifo, int waitSeconds) {
        ReceiveMessageResponse response = client.receiveMessage(b -> b.queueUrl(queueUrl)
                .maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
                .visibilityTimeout(fifo ? null : 12 * 60 * 60)
                .messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).join();
        if (fifo && !response.messages().isEmpty()) {
            client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(response.messages().stream()
                    .map(m -> software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                            .id(m.messageId()).receiptHandle(m.receiptHandle()).build())
                    .collect(Collectors.toList()))).join();
        }
        return response.messages();
    }

    /** Bodies of {@link #drain}. */
    public List<String> drainBodies(String queueUrl, int expected, Duration idle) {
        return drain(queueUrl, expected, idle).stream().map(Message::body).collect(Collectors.toList());
    }

    /** The queue's approximate message count (visible + in flight, so drained messages of a standard queue too). */
    public long approximateDepth(String queueUrl) {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join().attributes();
        return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
