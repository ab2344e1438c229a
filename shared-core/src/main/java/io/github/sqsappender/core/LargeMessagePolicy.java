package io.github.sqsappender.core;

/** What happens to an event whose encoded size exceeds the queue's per-message limit. */
public enum LargeMessagePolicy {
    /** The body is cut on a code-point boundary and ends with a marker saying how many bytes were cut. */
    TRUNCATE,
    /** The event is discarded and counted as dropped (reason {@code oversize}). */
    DROP,
    /** The body is stored in S3 and a pointer is sent (not supported yet). */
    S3
}
