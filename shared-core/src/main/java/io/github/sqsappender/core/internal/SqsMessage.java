package io.github.sqsappender.core.internal;

import java.util.List;

/**
 * One encoded log record, ready to be an entry of a SendMessageBatch: sanitized body, attributes,
 * FIFO ids, and its size as SQS counts it (UTF-8 bytes of the body plus every attribute's name,
 * type and value). Built on the application thread and immutable afterwards, so no mutable
 * framework event ever crosses to the dispatcher thread.
 */
public final class SqsMessage implements IntakeItem {

    private final String body;
    private final int bodyBytes;
    private final List<MessageAttribute> attributes;
    private final int attributeBytes;
    private final String groupId;
    private final String deduplicationId;
    private final boolean important;
    private final boolean truncated;
    private final long enqueuedAtNanos;
    private final int packedBytes;
    private final int budgetBytes;

    /**
     * Heap one held event takes beyond its text, in bytes: this object (56), its body's
     * {@code String} (24) and array header (16, plus padding), its slot in the intake queue (4), and
     * in an open pack its list slot and sequence number (12). Measured with a full buffer of 10-byte
     * events ({@code BufferHeapBoundTest}): 109 bytes per event beyond the text on a heap with
     * compressed references. Charging it keeps the buffer's byte bound a bound on memory also for
     * tiny events.
     */
    static final int HEAP_OVERHEAD_BYTES = 112;
    /** Heap of one message attribute beyond its counted bytes: the object and its two or three strings. */
    static final int ATTRIBUTE_HEAP_OVERHEAD_BYTES = 96;

    /**
     * @param body            the sanitized body; never empty
     * @param bodyBytes       its UTF-8 length
     * @param attributes      sanitized attributes (at most 10)
     * @param groupId         FIFO message group, or null for standard queues
     * @param deduplicationId FIFO deduplication id, or null
     * @param important       true for WARN and more severe events (they keep buffer headroom)
     * @param truncated       true when the body has already been cut to fit a limit
     * @param enqueuedAtNanos ticker reading when the event was logged (drives linger and latency)
     */
    public SqsMessage(String body, int bodyBytes, List<MessageAttribute> attributes, String groupId,
                      String deduplicationId, boolean important, boolean truncated, long enqueuedAtNanos) {
        this(body, bodyBytes, attributes, groupId, deduplicationId, important, truncated, enqueuedAtNanos, 0);
    }

    /**
     * @param packedBytes what the event takes in a packed message (its record and a line break),
     *                    or 0 when messages are not packed
     */
    SqsMessage(String body, int bodyBytes, List<MessageAttribute> attributes, String groupId,
               String deduplicationId, boolean important, boolean truncated, long enqueuedAtNanos, int packedBytes) {
        this.body = body;
        this.bodyBytes = bodyBytes;
        this.attributes = attributes;
        int sum = 0;
        for (MessageAttribute attribute : attributes) {
            sum += attribute.sizeBytes();
        }
        this.attributeBytes = sum;
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.important = important;
        this.truncated = truncated;
        this.enqueuedAtNanos = enqueuedAtNanos;
        this.packedBytes = packedBytes;
        // Compact strings hold one byte per char only when every char is Latin-1; an ASCII-only
        // body is (bodyBytes == length), anything else is counted at two bytes per char.
        int textHeap = bodyBytes == body.length() ? bodyBytes : 2 * body.length();
        this.budgetBytes = Math.max(Math.max(bodyBytes + sum, packedBytes), textHeap + sum)
                + HEAP_OVERHEAD_BYTES + attributes.size() * ATTRIBUTE_HEAP_OVERHEAD_BYTES;
    }

    /** A message with only a body; convenient for tests and tools. */
    public static SqsMessage of(String body, long enqueuedAtNanos) {
        return new SqsMessage(body, Utf8.encodedLength(body), List.of(), null, null, false, false, enqueuedAtNanos);
    }

    /** Returns a copy that takes {@code packedBytes} in a packed message (its record and a line break). */
    SqsMessage withPackedBytes(int packedBytes) {
        return new SqsMessage(body, bodyBytes, attributes, groupId, deduplicationId, important, truncated,
                enqueuedAtNanos, packedBytes);
    }

    /** Returns a copy with a new (already sanitized) body, marked as truncated. */
    SqsMessage withTruncatedBody(String newBody) {
        int newBodyBytes = Utf8.encodedLength(newBody);
        int newPackedBytes = packedBytes == 0 ? 0 : newBodyBytes + JsonRecord.extraBytes(newBody) + 1;
        return new SqsMessage(newBody, newBodyBytes, attributes, groupId, deduplicationId,
                important, true, enqueuedAtNanos, newPackedBytes);
    }

    public String body() {
        return body;
    }

    public int bodyBytes() {
        return bodyBytes;
    }

    public List<MessageAttribute> attributes() {
        return attributes;
    }

    public int attributeBytes() {
        return attributeBytes;
    }

    /** The size SQS charges against its limits: body plus attributes, in UTF-8 bytes. */
    public int sizeBytes() {
        return bodyBytes + attributeBytes;
    }

    /**
     * The buffer room this event holds: what it costs in memory while held — its text (at least
     * as much as it takes sent on its own or as a record of a packed message, whichever it ends
     * up as) plus a fixed per-event overhead.
     */
    public int budgetBytes() {
        return budgetBytes;
    }

    /** What the event takes in a packed message, or 0 when messages are not packed. */
    int packedBytes() {
        return packedBytes;
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
        return "SqsMessage{" + sizeBytes() + " bytes, body=" + (body.length() > 40 ? body.substring(0, 40) + "…" : body) + "}";
    }
}
