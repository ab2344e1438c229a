package io.github.sqsappender.core.port;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The dispatcher's only view of SQS: look the queue up, send a batch, get per-entry results.
 * Keeping AWS types behind this port lets the dispatcher be tested without the SDK
 * ({@code InMemorySqsSender} in the test-jar) and run for real with {@code SdkSqsSender}.
 *
 * <p>Methods are called only from the dispatcher thread and must not block: they start the work
 * and return a future. Futures may complete on any thread. A failed future carries a
 * {@link SendFailure} saying whether the failure is worth retrying.
 */
public interface SqsSender extends AutoCloseable {

    /** Finds the queue URL and its limits (GetQueueUrl / GetQueueAttributes as needed). */
    public CompletableFuture<QueueTarget> resolveQueue();

    /**
     * Sends one SendMessageBatch. Entry ids are unique within the batch. The future completes
     * normally when SQS answered (some entries may still have failed), exceptionally with a
     * {@link SendFailure} when the whole request failed.
     */
    public CompletableFuture<BatchResult> sendBatch(String queueUrl, List<BatchEntry> entries);

    /** Releases the client and its threads; in-flight requests may be cancelled. Idempotent. */
    @Override
    public void close();

    /** One entry of a batch: the id SQS echoes back, and the message. */
    public record BatchEntry(String id, WireMessage message) {
    }

    /** What SQS answered: the entries that failed; every other entry succeeded. */
    public record BatchResult(List<EntryFailure> failures) {
        public static BatchResult allSucceeded() {
            return new BatchResult(List.of());
        }
    }

    /** One failed entry: {@code senderFault=false} means retrying it unchanged may succeed. */
    public record EntryFailure(String id, boolean senderFault, String code, String message) {
    }

    /**
     * The resolved queue: its URL and the per-message limit to size against. A configured
     * {@code maxMessageBytes} applies over {@code maxMessageBytes} unless {@code queueLimitBelowConfigured}:
     * then the queue reported a smaller {@code MaximumMessageSize}, which SQS enforces whatever the
     * configuration says.
     */
    public record QueueTarget(String queueUrl, int maxMessageBytes, String note, boolean queueLimitBelowConfigured) {

        /** A queue whose limit does not cap a configured one. */
        public QueueTarget(String queueUrl, int maxMessageBytes, String note) {
            this(queueUrl, maxMessageBytes, note, false);
        }
    }
}
