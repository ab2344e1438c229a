package io.github.sqsappender.reader;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdkMessagesTest {

    private static final String RECORDS = "\"first\"\n\"second\"";

    private static Message message(String body, Map<String, String> stringAttributes) {
        Map<String, MessageAttributeValue> attributes = new java.util.HashMap<>();
        stringAttributes.forEach((name, value) -> attributes.put(name, MessageAttributeValue.builder()
                .dataType(name.equals("EventCount") ? "Number" : "String").stringValue(value).build()));
        return Message.builder().messageId("m-1").body(body).messageAttributes(attributes).build();
    }

    @Test
    void aPackIsDecodedByItsAttributes() throws Exception {
        Message packed = message(RECORDS, Map.of("Content-Type", "application/x-ndjson", "EventCount", "2"));
        assertThat(SdkMessages.events(packed, true)).containsExactly("first", "second");
        assertThat(SdkMessages.events(packed)).containsExactly("first", "second");
        Message gzipped = message(LogMessageReaderTest.gzipBase64(RECORDS),
                Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip,base64", "EventCount", "2"));
        assertThat(SdkMessages.events(gzipped, true)).containsExactly("first", "second");
    }

    @Test
    void withTheAttributesReceivedAnUnpackedMessageIsExactlyItsBodyWhateverItLooksLike() throws Exception {
        // Unpacked events whose bodies look like a pack: a JSON string, records, base64 of gzip.
        String gzip = LogMessageReaderTest.gzipBase64("not records at all");
        for (String body : new String[] {"\"done\"", RECORDS, gzip}) {
            assertThat(SdkMessages.events(message(body, Map.of()), true)).containsExactly(body);
            assertThat(SdkMessages.events(message(body, Map.of("level", "INFO")), true)).containsExactly(body);
        }
    }

    @Test
    void withoutTheAttributesTheBodyDecides() throws Exception {
        assertThat(SdkMessages.events(message("\"done\"", Map.of()))).containsExactly("done");
        assertThat(SdkMessages.events(message("plain line", Map.of()))).containsExactly("plain line");
        String notRecords = LogMessageReaderTest.gzipBase64("not records at all");
        assertThatThrownBy(() -> SdkMessages.events(message(notRecords, Map.of())))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-1");
    }
}
