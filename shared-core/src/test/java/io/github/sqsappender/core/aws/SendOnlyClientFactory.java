package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.util.concurrent.CompletableFuture;

/**
 * A {@code clientFactory} whose client implements only SendMessageBatch, as an application's
 * cut-down or instrumented client may: every other call keeps the SDK's default body, which
 * throws {@link UnsupportedOperationException} at once.
 */
public final class SendOnlyClientFactory implements SqsClientFactory {

    @Override
    public SqsAsyncClient create(SqsAppenderConfig config) {
        return new SqsAsyncClient() {
            @Override
            public String serviceName() {
                return "sqs";
            }

            @Override
            public void close() {
            }

            @Override
            public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
                return CompletableFuture.completedFuture(SendMessageBatchResponse.builder().build());
            }
        };
    }
}
