package io.github.sqsappender.core;

/** What happens to an event whose encoded size exceeds the queue's per-message limit. */
public enum LargeMessagePolicy {
    /** The body is cut on a code-point boundary and ends with a marker saying how many bytes were cut. */
    TRUNCATE,
    /** The event is discarded and counted as dropped (reason {@code oversize}). */
    DROP,
    /**
     * The body is written to S3 ({@code s3Bucket}, key {@code s3KeyPrefix} + a random UUID) and the
     * message sent is the Amazon SQS Extended Client's pointer to it, which that client's consumers
     * (Java, Python) resolve transparently.
     */
    S3
}
