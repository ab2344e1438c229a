package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender.BatchEntry;
import io.github.sqsappender.core.port.SqsSender.BatchResult;
import io.github.sqsappender.core.port.SqsSender.EntryFailure;
import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.text.MessageAttribute;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One SendMessageBatch through the SDK, run on the sender's send thread: the request built from
 * the port's entries (the SDK marshals and signs it on this thread), SQS's answer mapped back to
 * per-entry failures. Its {@link #result} always completes.
 */
final class SdkBatchSend implements Runnable {

    /** Completes with SQS's answer, or fails with a {@link SendFailure}; also when {@link #run} never runs (the owner fails it). */
    final CompletableFuture<BatchResult> result = new CompletableFuture<>();
    private final SqsAsyncClient client;
    private final String queueUrl;
    private final List<BatchEntry> entries;

    SdkBatchSend(SqsAsyncClient client, String queueUrl, List<BatchEntry> entries) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.entries = entries;
    }

    @Override
    public void run() {
        try {
            send(client, queueUrl, entries).whenComplete((r, f) -> {
                if (f != null) {
                    result.completeExceptionally(f);
                } else {
                    result.complete(r);
                }
            });
        } catch (Throwable t) { // an SDK that throws instead of failing its future, or a LinkageError
            result.completeExceptionally(SdkFailures.classify(t));
        }
    }

    private static CompletableFuture<BatchResult> send(SqsAsyncClient c, String queueUrl, List<BatchEntry> entries) {
        List<SendMessageBatchRequestEntry> requestEntries = new ArrayList<>(entries.size());
        for (BatchEntry entry : entries) {
            requestEntries.add(toRequestEntry(entry));
        }
        SendMessageBatchRequest request = SendMessageBatchRequest.builder().queueUrl(queueUrl).entries(requestEntries).build();
        CompletableFuture<SendMessageBatchResponse> sent = c.sendMessageBatch(request);
        if (sent == null) {
            throw new IllegalStateException("the SQS client returned no future");
        }
        return sent.handle((response, failure) -> {
            if (failure != null) {
                throw SdkFailures.classify(failure);
            }
            if (!response.hasFailed() || response.failed().isEmpty()) {
                return BatchResult.allSucceeded();
            }
            List<EntryFailure> failures = new ArrayList<>(response.failed().size());
            for (BatchResultErrorEntry error : response.failed()) {
                failures.add(new EntryFailure(error.id(), Boolean.TRUE.equals(error.senderFault()), error.code(), error.message()));
            }
            return new BatchResult(failures);
        });
    }

    private static SendMessageBatchRequestEntry toRequestEntry(BatchEntry entry) {
        WireMessage message = entry.message();
        SendMessageBatchRequestEntry.Builder builder = SendMessageBatchRequestEntry.builder()
                .id(entry.id())
                .messageBody(message.body());
        if (!message.attributes().isEmpty()) {
            Map<String, MessageAttributeValue> attributes = new HashMap<>();
            for (MessageAttribute attribute : message.attributes()) {
                attributes.put(attribute.name(), MessageAttributeValue.builder()
                        .dataType(attribute.dataType()).stringValue(attribute.value()).build());
            }
            builder.messageAttributes(attributes);
        }
        if (message.groupId() != null) {
            builder.messageGroupId(message.groupId());
        }
        if (message.deduplicationId() != null) {
            builder.messageDeduplicationId(message.deduplicationId());
        }
        return builder.build();
    }
}
