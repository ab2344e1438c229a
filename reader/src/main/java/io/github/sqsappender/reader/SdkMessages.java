package io.github.sqsappender.reader;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LogMessageReader} for messages received with the AWS SDK v2 ({@code software.amazon.awssdk:sqs}
 * must be on the class path). Ask for the attributes when receiving —
 * {@code messageAttributeNames("All")} or at least {@code Content-Type}, {@code Content-Encoding}
 * and {@code EventCount} — to have packed messages recognised by their attributes.
 */
public final class SdkMessages {

    private SdkMessages() {
    }

    /**
     * The events of {@code message}, in log order.
     *
     * @throws CorruptMessageException naming the message id, if it cannot be decoded completely
     */
    public static List<String> events(Message message) {
        Map<String, String> attributes = new HashMap<>();
        if (message.hasMessageAttributes()) {
            for (Map.Entry<String, MessageAttributeValue> e : message.messageAttributes().entrySet()) {
                if (e.getValue().stringValue() != null) {
                    attributes.put(e.getKey(), e.getValue().stringValue());
                }
            }
        }
        return LogMessageReader.events(message.messageId(), message.body(), attributes);
    }
}
