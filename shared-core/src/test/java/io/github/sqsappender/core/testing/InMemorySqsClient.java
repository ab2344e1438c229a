package io.github.sqsappender.core.testing;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.aws.SqsClientFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory SQS behind the real {@code SdkSqsSender}: what an appender configured from a real
 * framework file sends, recorded exactly (requests, entry ids, order), answered at once and
 * deterministically. Configure an appender with {@code clientFactory} = {@link Factory} and a
 * queue URL registered with {@link #register}; the factory hands that appender this client.
 *
 * <p>Thread-safe: requests arrive on the dispatcher thread, tests read from their own.
 */
public final class InMemorySqsClient implements SqsAsyncClient {

    private static final Map<String, InMemorySqsClient> BY_QUEUE_URL = new ConcurrentHashMap<>();

    private final String queueUrl;
    private final List<SendMessageBatchRequest> requests = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger warmUpRequests = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<String> rejectedBodies = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private InMemorySqsClient(String queueUrl) {
        this.queueUrl = queueUrl;
    }

    /** Creates the in-memory queue at {@code queueUrl} (unique per test) and returns its client. */
    public static InMemorySqsClient register(String queueUrl) {
        InMemorySqsClient client = new InMemorySqsClient(queueUrl);
        BY_QUEUE_URL.put(queueUrl, client);
        return client;
    }

    /** The {@code clientFactory} for appenders that should send to a registered in-memory queue. */
    public static final class Factory implements SqsClientFactory {
        @Override
        public SqsAsyncClient create(SqsAppenderConfig config) {
            InMemorySqsClient client = BY_QUEUE_URL.get(String.valueOf(config.queueUrl()));
            if (client == null) {
                throw new IllegalStateException("no in-memory queue registered at " + config.queueUrl());
            }
            return client;
        }
    }

    /** Entries with exactly this body are rejected with {@code SenderFault=true}. */
    public void rejectBody(String body) {
        rejectedBodies.add(body);
    }

    /** SendMessageBatch requests without entries: the sender's warm-up at start, refused as SQS does. */
    public int warmUpRequests() {
        return warmUpRequests.get();
    }

    /** Every SendMessageBatch request with entries received, in order (the warm-up is not one). */
    public List<SendMessageBatchRequest> requests() {
        return List.copyOf(requests);
    }

    /** The bodies of every accepted entry, in the order they were received. */
    public List<String> acceptedBodies() {
        List<String> bodies = new ArrayList<>();
        for (SendMessageBatchRequest request : requests) {
            for (SendMessageBatchRequestEntry entry : request.entries()) {
                if (!rejectedBodies.contains(entry.messageBody())) {
                    bodies.add(entry.messageBody());
                }
            }
        }
        return bodies;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        if (request.entries().isEmpty()) {
            warmUpRequests.incrementAndGet();
            return CompletableFuture.failedFuture(software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException.builder()
                    .message("There should be at least one SendMessageBatchRequestEntry in the request.").build());
        }
        requests.add(request);
        List<SendMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (SendMessageBatchRequestEntry entry : request.entries()) {
            if (rejectedBodies.contains(entry.messageBody())) {
                failed.add(BatchResultErrorEntry.builder().id(entry.id()).senderFault(true)
                        .code("InvalidMessageContents").message("rejected by the test").build());
            } else {
                ok.add(SendMessageBatchResultEntry.builder().id(entry.id()).messageId("m-" + entry.id()).build());
            }
        }
        return CompletableFuture.completedFuture(SendMessageBatchResponse.builder().successful(ok).failed(failed).build());
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return CompletableFuture.completedFuture(GetQueueAttributesResponse.builder()
                .attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144")).build());
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {
        closed = true;
        BY_QUEUE_URL.remove(queueUrl, this);
    }
}
