package io.github.sqsappender.core;

/** Why an event that was handed to the appender did not reach the queue. */
public enum DropReason {
    /** The buffer was full (events or bytes) and the overflow policy gave up on it. */
    OVERFLOW("overflow"),
    /** The event was larger than the queue accepts and {@code largeMessagePolicy=drop}. */
    OVERSIZE("oversize"),
    /** SQS rejected it permanently, or retries ran out of {@code deliveryTimeoutMs}. */
    UNDELIVERABLE("undeliverable"),
    /** The appender stopped before the event could be delivered. */
    SHUTDOWN("shutdown"),
    /** The formatted body was empty; SQS does not accept empty messages. */
    EMPTY("empty");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** The lower-case name used in metrics and status reports. */
    public String label() {
        return label;
    }
}
