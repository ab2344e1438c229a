package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender.QueueTarget;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The per-message limit to size against, from the queue's {@code MaximumMessageSize}
 * ({@code GetQueueAttributes}):
 * <ul>
 * <li>without {@code maxMessageBytes}: the queue's; 262,144 when the policy does not allow the
 *     read; a lookup to retry when the queue does not exist or cannot be reached;</li>
 * <li>with {@code maxMessageBytes}: that value, unless the queue reports a smaller one, which SQS
 *     enforces by refusing every message in between. The read then only caps the configured
 *     value, so whatever keeps it from answering (not allowed, a client of the application's
 *     {@code clientFactory} that does not implement it, an endpoint that does not answer within
 *     {@link #CAP_READ_TIMEOUT}) leaves the configured value, and the first sends wait no
 *     longer for it. No credentials is still a failed lookup: nothing could be sent either.</li>
 * </ul>
 * Stateless.
 */
final class QueueLimits {

    /** How long the read may take when it only caps a configured {@code maxMessageBytes}. */
    static final Duration CAP_READ_TIMEOUT = Duration.ofSeconds(3);

    private QueueLimits() {
    }

    /** The queue at {@code url} with its limit; {@code configured} is {@code maxMessageBytes}, or 0 when not set. */
    static CompletableFuture<QueueTarget> of(SqsAsyncClient c, String url, int configured) {
        return configured > 0 ? capped(c, url, configured) : queues(c, url);
    }

    private static CompletableFuture<QueueTarget> capped(SqsAsyncClient c, String url, int configured) {
        CompletableFuture<GetQueueAttributesResponse> read;
        try {
            read = c.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)
                    .overrideConfiguration(o -> o.apiCallTimeout(CAP_READ_TIMEOUT)));
        } catch (RuntimeException e) { // e.g. UnsupportedOperationException: a client that only sends
            read = CompletableFuture.failedFuture(e);
        }
        return read.handle((response, failure) -> {
            if (failure != null && SdkFailures.classify(failure).noCredentials()) {
                throw SdkFailures.classify(failure);
            }
            int reported = failure == null ? reportedSize(response) : -1;
            return reported > 0 && reported < configured
                    ? new QueueTarget(url, reported, "the queue's MaximumMessageSize; maxMessageBytes=" + configured
                            + " is above it", true)
                    : new QueueTarget(url, configured, null);
        });
    }

    private static CompletableFuture<QueueTarget> queues(SqsAsyncClient c, String url) {
        return c.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.MAXIMUM_MESSAGE_SIZE))
                .handle((response, failure) -> {
                    if (failure == null) {
                        int size = reportedSize(response);
                        return size > 0 ? new QueueTarget(url, size, "from the queue's MaximumMessageSize")
                                : new QueueTarget(url, SqsAppenderConfig.DEFAULT_MAX_MESSAGE_BYTES,
                                        "queue did not report MaximumMessageSize, assuming "
                                                + SqsAppenderConfig.DEFAULT_MAX_MESSAGE_BYTES);
                    }
                    SendFailure classified = SdkFailures.classify(failure);
                    if (SdkFailures.unwrapped(failure) instanceof QueueDoesNotExistException || classified.retryable()) {
                        throw classified; // no queue, or no network: retry the lookup later
                    }
                    // e.g. the policy allows SendMessage but not GetQueueAttributes
                    return new QueueTarget(url, SqsAppenderConfig.DEFAULT_MAX_MESSAGE_BYTES,
                            "MaximumMessageSize unreadable (" + classified.code() + "), assuming "
                                    + SqsAppenderConfig.DEFAULT_MAX_MESSAGE_BYTES);
                });
    }

    /** The queue's {@code MaximumMessageSize}, or -1 when it reported none within SQS's range. */
    private static int reportedSize(GetQueueAttributesResponse response) {
        String value = response.attributes().get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
        try {
            if (value != null) {
                int size = Integer.parseInt(value.trim());
                if (size >= SqsAppenderConfig.SQS_MIN_MESSAGE_BYTES && size <= SqsAppenderConfig.SQS_MAX_MESSAGE_BYTES) {
                    return size;
                }
            }
        } catch (NumberFormatException ignored) {
            // none
        }
        return -1;
    }
}
