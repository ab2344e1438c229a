package io.github.sqsappender.reader;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Lambda's SQS event always carries the message attributes: nothing is guessed from a body. */
class LambdaMessagesTest {

    private static SQSEvent.SQSMessage message(String body, Map<String, String> attributes) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("m-1");
        m.setBody(body);
        java.util.Map<String, SQSEvent.MessageAttribute> attrs = new java.util.HashMap<>();
        attributes.forEach((k, v) -> {
            SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
            a.setDataType("String");
            a.setStringValue(v);
            attrs.put(k, a);
        });
        m.setMessageAttributes(attrs);
        return m;
    }

    @Test
    void anUnpackedEventThatLooksLikeARecordIsExactlyItsBody() {
        assertThat(LambdaMessages.events(message("\"quoted\"", Map.of()))).containsExactly("\"quoted\"");
        assertThat(LambdaMessages.events(message("\"a\"\n\"b\"", Map.of("level", "INFO")))).containsExactly("\"a\"\n\"b\"");
    }

    @Test
    void aPackedMessageIsOneEventPerRecord() {
        assertThat(LambdaMessages.events(message("\"a\"\n\"b\"", Map.of("Content-Type", "application/x-ndjson",
                "EventCount", "2")))).containsExactly("a", "b");
    }
}
