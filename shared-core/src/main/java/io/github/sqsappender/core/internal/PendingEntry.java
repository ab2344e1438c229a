package io.github.sqsappender.core.internal;

/** Dispatcher-side state of one held event. Touched only by the dispatcher thread. */
final class PendingEntry {

    static final long NEVER = Long.MIN_VALUE;

    SqsMessage message;
    final long sequence;
    int attempts;
    long firstSentAt = NEVER;
    long notBefore;

    PendingEntry(SqsMessage message, long sequence) {
        this.message = message;
        this.sequence = sequence;
    }

    int size() {
        return message.sizeBytes();
    }
}
