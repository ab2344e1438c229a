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
 * <p>With packing, the application thread measures an event's record ({@link JsonRecord}) in the
 * same pass that validates the body, and an event that can go into a pack knows its record's size:
 * the dispatcher groups events by size alone, and the pack thread writes the records straight into
 * the pack's body ({@link #writeRecord}). No record is built per event.
 */
public final class IntakeEvent implements IntakeItem {

    /**
     * Heap one held event takes beyond its text, in bytes: this object (56), its body's
     * {@code String} (24), the text's array header (16, plus
     * padding), its slot in the intake queue (4), and in an open pack its list slot and sequence
     * number (12). Measured with a full buffer of 10-byte events ({@code BufferHeapBoundTest}): 109
     * bytes per event beyond the text on a heap with compressed references. Charging it keeps the
     * buffer's byte bound a bound on memory also for tiny events.
     */
    static final int HEAP_OVERHEAD_BYTES = 112;
    /** Heap of one message attribute beyond its counted bytes: the object and its two or three strings. */
    static final int ATTRIBUTE_HEAP_OVERHEAD_BYTES = 96;

    private final String body;
    private final int bodyBytes;
    private final int recordBytes; // its packed record's UTF-8 length, or 0 when it cannot be packed
    private final List<MessageAttribute> attributes;
    private final int attributeBytes;
    private final String groupId;
    private final boolean important;
    private final boolean truncated;
    private final long enqueuedAtNanos;
    private final int budgetBytes;

    /**
     * An event sent one per message (not packable).
     *
     * @param body            the sanitized body; never empty
     * @param bodyBytes       its UTF-8 length
     * @param attributes      sanitized attributes (at most 10)
     * @param groupId         FIFO message group, or null for standard queues
     * @param important       true for WARN and more severe events (they keep buffer headroom)
     * @param truncated       true when the body has already been cut to fit a limit
     * @param enqueuedAtNanos ticker reading when the event was logged (drives linger and latency)
     */
    public IntakeEvent(String body, int bodyBytes, List<MessageAttribute> attributes, String groupId,
                       boolean important, boolean truncated, long enqueuedAtNanos) {
        this(body, bodyBytes, 0, attributes, groupId, important, truncated, enqueuedAtNanos);
    }

    /** @param recordBytes the packed record's UTF-8 length, or 0 when the event cannot be packed */
    private IntakeEvent(String body, int bodyBytes, int recordBytes, List<MessageAttribute> attributes,
                        String groupId, boolean important, boolean truncated, long enqueuedAtNanos) {
        this.body = body;
        this.bodyBytes = bodyBytes;
        this.recordBytes = recordBytes;
        this.attributes = attributes;
        this.attributeBytes = MessageAttribute.sizeBytes(attributes);
        this.groupId = groupId;
        this.important = important;
        this.truncated = truncated;
        this.enqueuedAtNanos = enqueuedAtNanos;
        // The text as held in its String, and as its record in a pack's body: a compact string
        // holds one byte per char only when every char is Latin-1; an ASCII-only body is
        // (bodyBytes == chars), anything else is counted at two bytes per char. A record takes
        // its UTF-8 bytes, escapes included.
        int chars = body.length();
        int stringHeap = bodyBytes == chars ? chars : 2 * chars;
        int textHeap = Math.max(Math.max(recordBytes, bodyBytes), stringHeap);
        this.budgetBytes = textHeap + attributeBytes + HEAP_OVERHEAD_BYTES
                + attributes.size() * ATTRIBUTE_HEAP_OVERHEAD_BYTES;
    }

    /** An event with only a body; convenient for tests and tools. */
    public static IntakeEvent of(String body, long enqueuedAtNanos) {
        return new IntakeEvent(body, Utf8.encodedLength(body), List.of(), null, false, false, enqueuedAtNanos);
    }

    /**
     * The same event, able to go into a pack: its record adds {@code extraBytes} to the body.
     *
     * @param extraBytes what the record adds to the body ({@link JsonRecord#extraBytes})
     */
    IntakeEvent packable(int extraBytes) {
        return packable(body, bodyBytes, extraBytes, attributes, groupId, important, truncated, enqueuedAtNanos);
    }

    /** An event able to go into a pack (see {@link #packable(int)}), built in one step. */
    static IntakeEvent packable(String body, int bodyBytes, int extraBytes, List<MessageAttribute> attributes,
                                String groupId, boolean important, boolean truncated, long enqueuedAtNanos) {
        return new IntakeEvent(body, bodyBytes, bodyBytes + extraBytes, attributes, groupId, important, truncated,
                enqueuedAtNanos);
    }

    /** Returns a copy with a new (already sanitized) body, marked as truncated, not packable. */
    IntakeEvent withTruncatedBody(String newBody) {
        return new IntakeEvent(newBody, Utf8.encodedLength(newBody), 0, attributes, groupId, important, true,
                enqueuedAtNanos);
    }

    /**
     * This event as a message of its own, with {@code deduplicationId} (FIFO, or null). The id is
     * drawn on the dispatcher when the message is made, not on the application's thread, and a
     * retry sends the same message.
     */
    WireMessage toWire(String deduplicationId) {
        return new WireMessage(body, bodyBytes, attributes, groupId, deduplicationId);
    }

    public String body() {
        return body;
    }

    public int bodyBytes() {
        return bodyBytes;
    }

    /**
     * Writes its packed record in UTF-8 (quotes included, no line break) into {@code out} from
     * {@code at}, and returns where it ends; only for an event that can be packed. Any thread.
     */
    int writeRecord(byte[] out, int at) {
        return JsonRecord.encodeInto(body, bodyBytes, recordBytes - bodyBytes, out, at);
    }

    /** Its packed record's UTF-8 length, or 0 when it cannot be packed. */
    int recordBytes() {
        return recordBytes;
    }

    /** What the event takes in a packed message (its record and a line break), or 0 when it cannot be packed. */
    int packedBytes() {
        return recordBytes == 0 ? 0 : recordBytes + 1;
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
     * The buffer room this event holds: what its text takes in memory, as held and as its record
     * in a pack, whichever is larger, plus a fixed per-event overhead.
     */
    public int budgetBytes() {
        return budgetBytes;
    }

    public String groupId() {
        return groupId;
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
        return "IntakeEvent{" + sizeBytes() + " bytes, body=" + (body.length() > 40 ? body.substring(0, 40) + "…" : body) + "}";
    }
}
