package io.github.sqsappender.core.port;

import io.github.sqsappender.core.text.MessageAttribute;
import io.github.sqsappender.core.text.Utf8;
import java.util.List;

/**
 * One SQS message as it goes on the wire, an entry of a SendMessageBatch: body, attributes, FIFO
 * ids, and its size as SQS counts it (UTF-8 bytes of the body plus every attribute's name, type
 * and value). An event's own body, a pack of many events' records, or an S3 pointer.
 * Immutable, so it may be handed to any thread.
 */
public final class WireMessage {

    private final String body;
    private final int bodyBytes;
    private final List<MessageAttribute> attributes;
    private final int attributeBytes;
    private final String groupId;
    private final String deduplicationId;

    /**
     * @param body            the body, with only characters SQS accepts; never empty
     * @param bodyBytes       its UTF-8 length
     * @param attributes      at most 10, with only characters SQS accepts
     * @param groupId         FIFO message group, or null for standard queues
     * @param deduplicationId FIFO deduplication id, or null
     */
    public WireMessage(String body, int bodyBytes, List<MessageAttribute> attributes, String groupId,
                       String deduplicationId) {
        this.body = body;
        this.bodyBytes = bodyBytes;
        this.attributes = attributes;
        this.attributeBytes = MessageAttribute.sizeBytes(attributes);
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
    }

    /** A message with only a body; convenient for tests and tools. */
    public static WireMessage of(String body) {
        return new WireMessage(body, Utf8.encodedLength(body), List.of(), null, null);
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

    /** The size SQS charges against its limits: body plus attributes, in UTF-8 bytes. */
    public int sizeBytes() {
        return bodyBytes + attributeBytes;
    }

    public String groupId() {
        return groupId;
    }

    public String deduplicationId() {
        return deduplicationId;
    }

    @Override
    public String toString() {
        return "WireMessage{" + sizeBytes() + " bytes, body=" + (body.length() > 40 ? body.substring(0, 40) + "…" : body) + "}";
    }
}
