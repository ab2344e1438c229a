package io.github.sqsappender.core.internal;

/**
 * One SQS message on its way, and the events it carries: the wire content ({@link SqsMessage}),
 * the number of events and buffer bytes it holds, their sequence numbers (for flush tracking),
 * and its delivery state (attempts, first send, earliest retry). Today every message carries one
 * event; the ledger and flush accounting already settle a message as {@link #eventCount()} events.
 *
 * <p>Dispatcher thread only.
 */
final class OutgoingMessage {

    static final long NEVER = Long.MIN_VALUE;

    private final SqsMessage wire;
    private final long[] sequences;
    private final long heldBytes;
    private final long oldestEnqueuedAt;
    private final boolean dueAtOnce;
    private int attempts;
    private long firstSentAt = NEVER;
    private long notBefore;

    /**
     * @param wire             the body and attributes to send
     * @param sequences        the ledger sequence numbers of the events it carries, ascending
     * @param heldBytes        buffer bytes those events hold
     * @param oldestEnqueuedAt ticker time the oldest of them was logged
     */
    OutgoingMessage(SqsMessage wire, long[] sequences, long heldBytes, long oldestEnqueuedAt) {
        this(wire, sequences, heldBytes, oldestEnqueuedAt, false);
    }

    /**
     * @param dueAtOnce true when the message has already waited what it should (a closed pack): the
     *                  batch holding it goes without a further linger
     */
    OutgoingMessage(SqsMessage wire, long[] sequences, long heldBytes, long oldestEnqueuedAt, boolean dueAtOnce) {
        this.wire = wire;
        this.sequences = sequences;
        this.heldBytes = heldBytes;
        this.oldestEnqueuedAt = oldestEnqueuedAt;
        this.dueAtOnce = dueAtOnce;
    }

    /** A message carrying the single event {@code wire} on its own, holding that event's buffer room. */
    static OutgoingMessage single(SqsMessage wire, long sequence) {
        return new OutgoingMessage(wire, new long[] {sequence}, wire.budgetBytes(), wire.enqueuedAtNanos());
    }

    SqsMessage wire() {
        return wire;
    }

    /** Bytes SQS counts for this message (body plus attributes). */
    int wireBytes() {
        return wire.sizeBytes();
    }

    int eventCount() {
        return sequences.length;
    }

    long heldBytes() {
        return heldBytes;
    }

    /** The sequence of its first event; orders messages of equal retry time. */
    long firstSequence() {
        return sequences[0];
    }

    /** How many of its events have a sequence number of at most {@code sequence}. */
    int eventsUpTo(long sequence) {
        int n = 0;
        for (long s : sequences) {
            if (s <= sequence) {
                n++;
            }
        }
        return n;
    }

    long oldestEnqueuedAt() {
        return oldestEnqueuedAt;
    }

    /** True when the batch holding it is due without waiting for the linger (a pack, or a retry). */
    boolean isDueAtOnce() {
        return dueAtOnce || attempts > 0;
    }

    int attempts() {
        return attempts;
    }

    /** Records one more send attempt at {@code now}. */
    void markSent(long now) {
        if (firstSentAt == NEVER) {
            firstSentAt = now;
        }
        attempts++;
    }

    long firstSentAt() {
        return firstSentAt;
    }

    long notBefore() {
        return notBefore;
    }

    void retryNotBefore(long time) {
        this.notBefore = time;
    }

    @Override
    public String toString() {
        return "OutgoingMessage{" + eventCount() + " events, " + wireBytes() + " bytes, attempts=" + attempts + "}";
    }
}
