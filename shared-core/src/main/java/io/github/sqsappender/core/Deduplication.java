package io.github.sqsappender.core;

/** How messages sent to a FIFO queue get their deduplication id. */
public enum Deduplication {
    /** Every event gets its own id, so identical lines logged within five minutes are all kept. */
    UNIQUE,
    /** No id is sent; the queue must have content-based deduplication enabled. */
    CONTENT
}
