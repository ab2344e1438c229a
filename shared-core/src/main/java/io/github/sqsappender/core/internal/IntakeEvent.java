package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.text.JsonRecord;
import io.github.sqsappender.core.text.MessageAttribute;
import io.github.sqsappender.core.text.Utf8;
import java.util.List;

/**
 * One encoded log event on its way through the intake: sanitized body, attributes, FIFO ids,
 * severity, when it was logged, and the buffer room it holds. Built on the application thread and
 * immutable afterwards, so no mutable framework event ever crosses to the dispatcher thread.
 *
 * <p>With packing, an event that can go into a pack holds its record ({@link JsonRecord}) in UTF-8
 * instead of its body: the application thread, which has just measured the body, encodes it, and
 * the dispatcher only joins records. The body is decoded back only for the rare event that ends up
 * sent on its own ({@link #toWire}).
 */
public final class IntakeEvent implements IntakeItem {

    /**
     * Heap one held event takes beyond its text, in bytes: this object (56), its body's
     * {@code String} (24) or its record's array header (16), the text's array header (16, plus
     * padding), its slot in the intake queue (4), and in an open pack its list slot and sequence
     * number (12). Measured with a full buffer of 10-byte events ({@code BufferHeapBoundTest}): 109
     * bytes per event beyond the text on a heap with compressed references. Charging it keeps the
     * buffer's byte bound a bound on memory also for tiny events.
     */
    static final int HEAP_OVERHEAD_BYTES = 112;
    /** Heap of one message attribute beyond its counted bytes: the object and its two or three strings. */
    static final int ATTRIBUTE_HEAP_OVERHEAD_BYTES = 96;

    private final String body; // null while the event is held as its record
    private final byte[] record; // its packed record in UTF-8, or null when it cannot be packed
    private final int bodyBytes;
    private final List<MessageAttribute> attributes;
    private final int attributeBytes;
    private final String groupId;
    private final String deduplicationId;
    private final boolean important;
    private final boolean truncated;
    private final long enqueuedAtNanos;
    private final int budgetBytes;

    /**
     * An event held as its body (sent one per message).
     *
     * @param body            the sanitized body; never empty
     * @param bodyBytes       its UTF-8 length
     * @param attributes      sanitized attributes (at most 10)
     * @param groupId         FIFO message group, or null for standard queues
     * @param deduplicationId FIFO deduplication id, or null
     * @param important       true for WARN and more severe events (they keep buffer headroom)
     * @param truncated       true when the body has already been cut to fit a limit
     * @param enqueuedAtNanos ticker reading when the event was logged (drives linger and latency)
     */
    public IntakeEvent(String body, int bodyBytes, List<MessageAttribute> attributes, String groupId,
                       String deduplicationId, boolean important, boolean truncated, long enqueuedAtNanos) {
        this(body, null, bodyBytes, body.length(), attributes, groupId, deduplicationId, important, truncated,
                enqueuedAtNanos);
    }

    /** @param chars the body's length in chars (what its {@code String} takes, held or decoded) */
    private IntakeEvent(String body, byte[] record, int bodyBytes, int chars, List<MessageAttribute> attributes,
                        String groupId, String deduplicationId, boolean important, boolean truncated,
                        long enqueuedAtNanos) {
        this.body = body;
        this.record = record;
        this.bodyBytes = bodyBytes;
        this.attributes = attributes;
        this.attributeBytes = MessageAttribute.sizeBytes(attributes);
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.important = important;
        this.truncated = truncated;
        this.enqueuedAtNanos = enqueuedAtNanos;
        // The text as held, and as a String wherever it becomes one (a pack's body, a body decoded
        // to be sent alone): a compact string holds one byte per char only when every char is
        // Latin-1; an ASCII-only body is (bodyBytes == chars), anything else is counted at two
        // bytes per char. A record takes its UTF-8 bytes besides.
        int stringHeap = bodyBytes == chars ? chars : 2 * chars;
        int textHeap = Math.max(record != null ? record.length : bodyBytes, stringHeap);
        this.budgetBytes = textHeap + attributeBytes + HEAP_OVERHEAD_BYTES
                + attributes.size() * ATTRIBUTE_HEAP_OVERHEAD_BYTES;
    }

    /** An event with only a body; convenient for tests and tools. */
    public static IntakeEvent of(String body, long enqueuedAtNanos) {
        return new IntakeEvent(body, Utf8.encodedLength(body), List.of(), null, null, false, false, enqueuedAtNanos);
    }

    /**
     * The same event held as its packed record instead of its body. Application thread: the
     * encoding is the caller's work, not the dispatcher's.
     *
     * @param extraBytes what the record adds to the body ({@link JsonRecord#extraBytes})
     */
    IntakeEvent asRecord(int extraBytes) {
        return asRecord(body, bodyBytes, extraBytes, attributes, groupId, deduplicationId, important, truncated,
                enqueuedAtNanos);
    }

    /** An event held as the packed record of {@code body} (see {@link #asRecord(int)}), built in one step. */
    static IntakeEvent asRecord(String body, int bodyBytes, int extraBytes, List<MessageAttribute> attributes,
                                String groupId, String deduplicationId, boolean important, boolean truncated,
                                long enqueuedAtNanos) {
        return new IntakeEvent(null, JsonRecord.encode(body, bodyBytes, extraBytes), bodyBytes, body.length(), attributes,
                groupId, deduplicationId, important, truncated, enqueuedAtNanos);
    }

    /** Returns a copy with a new (already sanitized) body, marked as truncated, held as its body. */
    IntakeEvent withTruncatedBody(String newBody) {
        return new IntakeEvent(newBody, null, Utf8.encodedLength(newBody), newBody.length(), attributes, groupId,
                deduplicationId, important, true, enqueuedAtNanos);
    }

    /** This event as a message of its own. */
    WireMessage toWire() {
        return new WireMessage(body(), bodyBytes, attributes, groupId, deduplicationId);
    }

    /** The body; decoded from the record when the event is held as one (dispatcher, rare paths). */
    public String body() {
        return body != null ? body : JsonRecord.decode(record);
    }

    public int bodyBytes() {
        return bodyBytes;
    }

    /** Its packed record in UTF-8, quotes included, without a line break; null when it cannot be packed. */
    byte[] record() {
        return record;
    }

    /** What the event takes in a packed message (its record and a line break), or 0 when it cannot be packed. */
    int packedBytes() {
        return record == null ? 0 : record.length + 1;
    }

    public List<MessageAttribute> attributes() {
        return attributes;
    }

    public int attributeBytes() {
        return attributeBytes;
    }

    /** The size SQS charges against its limits sent on its own: body plus attributes, in UTF-8 bytes. */
    public int sizeBytes() {
        return bodyBytes + attributeBytes;
    }

    /**
     * The buffer room this event holds: what its text takes in memory as held (its body, or its
     * record, which is at least as large as the body it decodes to) plus a fixed per-event overhead.
     */
    public int budgetBytes() {
        return budgetBytes;
    }

    public String groupId() {
        return groupId;
    }

    public String deduplicationId() {
        return deduplicationId;
    }

    public boolean important() {
        return important;
    }

    public boolean truncated() {
        return truncated;
    }

    public long enqueuedAtNanos() {
        return enqueuedAtNanos;
    }

    @Override
    public String toString() {
        String text = body != null ? body : "(record)";
        return "IntakeEvent{" + sizeBytes() + " bytes, body=" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "}";
    }
}
