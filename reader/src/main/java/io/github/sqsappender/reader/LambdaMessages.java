package io.github.sqsappender.reader;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LogMessageReader} for the messages of a Lambda SQS event ({@code com.amazonaws:aws-lambda-java-events}
 * must be on the class path). Lambda's SQS event source always delivers message attributes, so a
 * message without {@code Content-Type} is one unpacked event, exactly its body.
 */
public final class LambdaMessages {

    private LambdaMessages() {
    }

    /**
     * The events of {@code message}, in log order.
     *
     * @throws CorruptMessageException naming the message id, if it cannot be decoded completely
     */
    public static List<String> events(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = new HashMap<>();
        if (message.getMessageAttributes() != null) {
            for (Map.Entry<String, SQSEvent.MessageAttribute> e : message.getMessageAttributes().entrySet()) {
                if (e.getValue() != null && e.getValue().getStringValue() != null) {
                    attributes.put(e.getKey(), e.getValue().getStringValue());
                }
            }
        }
        return LogMessageReader.events(message.getMessageId(), message.getBody(), attributes, true);
    }
}
