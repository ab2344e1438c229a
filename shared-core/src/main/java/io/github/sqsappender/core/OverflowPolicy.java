package io.github.sqsappender.core;

/** What an append does when the buffer between the application and the dispatcher is full. */
public enum OverflowPolicy {
    /** The new event is discarded and counted as dropped (reason {@code overflow}). */
    DROP,
    /** The caller waits up to {@code blockTimeoutMs} for room, then the event is dropped and counted. */
    BLOCK
}
