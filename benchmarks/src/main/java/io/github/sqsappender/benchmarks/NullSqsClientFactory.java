package io.github.sqsappender.benchmarks;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.aws.SqsClientFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.util.concurrent.CompletableFuture;

/**
 * A {@code clientFactory} whose client acknowledges every batch at once without any I/O, so a
 * benchmark of the appender measures only the logging call and the dispatcher.
 */
public final class NullSqsClientFactory implements SqsClientFactory {

    private static final CompletableFuture<SendMessageBatchResponse> ALL_SENT =
            CompletableFuture.completedFuture(SendMessageBatchResponse.builder().build());

    @Override
    public SqsAsyncClient create(SqsAppenderConfig config) {
        return new SqsAsyncClient() {
            @Override
            public String serviceName() {
                return SERVICE_NAME;
            }

            @Override
            public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
                return ALL_SENT;
            }

            @Override
            public void close() {
            }
        };
    }
}
