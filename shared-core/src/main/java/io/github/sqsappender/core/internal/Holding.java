package io.github.sqsappender.core.internal;

/**
 * Where the dispatcher holds an event it has taken from the intake. The {@link Ledger} counts
 * events and bytes per state; a new stage that holds events (an S3 upload, a pack being
 * compressed) adds its state here and moves events through the ledger, and flush and stop stay
 * correct without further change.
 */
enum Holding {
    /** Taken from the intake, being assembled into a message or waiting in the open batch. */
    ASSEMBLING,
    /** Part of a SendMessageBatch request that has not been answered yet. */
    IN_FLIGHT,
    /** Failed with a retryable error, waiting for its backoff in the retry queue. */
    AWAITING_RETRY,
    /** Too large for the queue: its body is being written to S3 (or waits to try again). */
    UPLOADING,
    /** Undeliverable: in a fallback object being filled, or being written to S3. */
    FALLBACK
}
