package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.text.JsonRecord;

/**
 * One SQS message on its way, and the events it carries: the wire content ({@link WireMessage}),
 * what kind of content that is ({@link Content}), the number of events and buffer bytes it holds,
 * their sequence numbers (for flush tracking), and its delivery state (attempts, first send,
 * earliest retry). The ledger and flush accounting settle a message as {@link #eventCount()} events.
 *
 * <p>Dispatcher thread only.
 */
final class OutgoingMessage {

    static final long NEVER = Long.MIN_VALUE;

    /** What the wire body is. */
    enum Content {
        /** One event's body. */
        EVENT,
        /** One event's body, too large for the queue: it is to be written to S3 first. */
        TO_OFFLOAD,
        /** The Extended Client pointer to one event's body in S3. */
        POINTER,
        /** Records of many events, joined by line breaks. */
        PACK,
        /** Records of many events, gzip'ed and base64'ed. */
        GZIP_PACK
    }

    private static final WireMessage SETTLED = WireMessage.of("-");

    private final WireMessage wire;
    private final Content content;
    private final String originalBody; // POINTER only: what the pointer points to (for the fallback)
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
    OutgoingMessage(WireMessage wire, long[] sequences, long heldBytes, long oldestEnqueuedAt) {
        this(wire, sequences, heldBytes, oldestEnqueuedAt, false);
    }

    /**
     * @param dueAtOnce true when the message has already waited what it should (a closed pack): the
     *                  batch holding it goes without a further linger
     */
    OutgoingMessage(WireMessage wire, long[] sequences, long heldBytes, long oldestEnqueuedAt, boolean dueAtOnce) {
        this(wire, Content.EVENT, null, sequences, heldBytes, oldestEnqueuedAt, dueAtOnce);
    }

    OutgoingMessage(WireMessage wire, Content content, String originalBody, long[] sequences, long heldBytes,
                    long oldestEnqueuedAt, boolean dueAtOnce) {
        this.wire = wire;
        this.content = content;
        this.originalBody = originalBody;
        this.sequences = sequences;
        this.heldBytes = heldBytes;
        this.oldestEnqueuedAt = oldestEnqueuedAt;
        this.dueAtOnce = dueAtOnce;
    }

    /** A message carrying the single event {@code event} on its own, holding that event's buffer room. */
    static OutgoingMessage single(IntakeEvent event, long sequence) {
        return single(event, sequence, null);
    }

    /** {@link #single(IntakeEvent, long)} with a FIFO deduplication id (or null). */
    static OutgoingMessage single(IntakeEvent event, long sequence, String deduplicationId) {
        return new OutgoingMessage(event.toWire(deduplicationId), new long[] {sequence}, event.budgetBytes(),
                event.enqueuedAtNanos());
    }

    /**
     * A message carrying {@code event}, too large for the queue, to be written to S3 before it is
     * sent; its pointer message keeps {@code deduplicationId} (FIFO, or null).
     */
    static OutgoingMessage toOffload(IntakeEvent event, long sequence, String deduplicationId) {
        return new OutgoingMessage(event.toWire(deduplicationId), Content.TO_OFFLOAD, null, new long[] {sequence},
                event.budgetBytes(), event.enqueuedAtNanos(), false);
    }

    /**
     * The message to send once this one's body is in S3: {@code pointer} on the wire, the same
     * events and buffer room (kept until the pointer is acknowledged), due at once. Its delivery
     * is timed from {@code firstAttemptAt}, the body's first write to S3: the upload and the
     * pointer's sends share one {@code deliveryTimeoutMs}.
     */
    OutgoingMessage pointingWith(WireMessage pointer, long firstAttemptAt) {
        OutgoingMessage message = new OutgoingMessage(pointer, Content.POINTER, wire.body(), sequences, heldBytes,
                oldestEnqueuedAt, true);
        message.firstSentAt = firstAttemptAt;
        return message;
    }

    /**
     * The same events and buffer room without the content: what a stage keeps once the content has
     * been written elsewhere (a fallback object), so the bodies can be collected.
     */
    OutgoingMessage withoutContent() {
        return new OutgoingMessage(SETTLED, content, null, sequences, heldBytes, oldestEnqueuedAt, dueAtOnce);
    }

    WireMessage wire() {
        return wire;
    }

    Content content() {
        return content;
    }

    boolean needsOffload() {
        return content == Content.TO_OFFLOAD;
    }

    /**
     * The events as NDJSON records (each a JSON string of the body the event had or would have had
     * unpacked), joined by line breaks, without a trailing one: what the fallback stores.
     */
    String records() {
        switch (content) {
            case EVENT:
            case TO_OFFLOAD: {
                StringBuilder sb = new StringBuilder(wire.bodyBytes() + 16);
                JsonRecord.append(sb, wire.body());
                return sb.toString();
            }
            case POINTER: {
                StringBuilder sb = new StringBuilder(originalBody.length() + 16);
                JsonRecord.append(sb, originalBody);
                return sb.toString();
            }
            case PACK:
                return wire.body();
            case GZIP_PACK:
                return PackEncoder.gunzipBase64(wire.body());
            default:
                throw new AssertionError(content);
        }
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
