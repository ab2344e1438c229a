package io.github.sqsappender.reader;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LogMessageReader} for messages received with the AWS SDK v2 ({@code software.amazon.awssdk:sqs}
 * must be on the class path). Receive with {@code messageAttributeNames("All")} and call
 * {@link #events(Message, boolean) events(message, true)}: packed messages are then recognised by
 * their attributes, and every other message is exactly one event, its body. Stateless; any thread.
 */
public final class SdkMessages {

    private SdkMessages() {
    }

    /**
     * The events of {@code message}, in log order, deciding from its body when it carries none of
     * the pack attributes (as {@link LogMessageReader#events(String, String, Map)}): for messages
     * received without asking for the attributes. An unpacked event whose whole body is a JSON
     * string then reads as that string's value, and one that is base64 of gzip is decoded as a
     * pack (and refused as corrupt when it holds no records); receive with
     * {@code messageAttributeNames("All")} and use {@link #events(Message, boolean)} to avoid that.
     *
     * @throws CorruptMessageException naming the message id, if it cannot be decoded completely
     */
    public static List<String> events(Message message) {
        return events(message, false);
    }

    /**
     * The events of {@code message}, in log order.
     *
     * @param attributesDelivered true when the message was received with
     *                            {@code messageAttributeNames("All")} (or at least
     *                            {@code Content-Type}, {@code Content-Encoding} and
     *                            {@code EventCount}): a message without {@code Content-Type} is then
     *                            one unpacked event, exactly its body (unless it carries
     *                            {@code Content-Encoding}, which only gzip packs do; a value other than {@code gzip,base64} is refused);
     *                            false to decide from the body
     * @throws CorruptMessageException naming the message id, if it cannot be decoded completely
     */
    public static List<String> events(Message message, boolean attributesDelivered) {
        Map<String, String> attributes = new HashMap<>();
        if (message.hasMessageAttributes()) {
            for (Map.Entry<String, MessageAttributeValue> e : message.messageAttributes().entrySet()) {
                if (e.getValue().stringValue() != null) {
                    attributes.put(e.getKey(), e.getValue().stringValue());
                }
            }
        }
        return LogMessageReader.events(message.messageId(), message.body(), attributes, attributesDelivered);
    }
}
