package io.github.sqsappender.reader;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogMessageReaderTest {

    private static final Map<String, String> PACKED = Map.of("Content-Type", "application/x-ndjson", "EventCount", "3");
    private static final String BODY = "\"first line\"\n\"with \\\"quotes\\\" and \\\\ and \\n and \\u2028\"\n\"emoji \uD83D\uDE00\"";
    private static final List<String> EVENTS = List.of("first line", "with \"quotes\" and \\ and \n and \u2028", "emoji \uD83D\uDE00");

    static String gzipBase64(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    @Test
    void unpackedMessageIsOneEventWhateverItLooksLike() {
        assertThat(LogMessageReader.events("m1", "{\"msg\":\"x\"}", Map.of())).containsExactly("{\"msg\":\"x\"}");
        assertThat(LogMessageReader.events("m1", "\"quoted\"", Map.of("level", "INFO", "Content-Type", "text/plain")))
                .containsExactly("\"quoted\"");
    }

    @Test
    void packedMessageIsOneEventPerRecordInOrder() {
        assertThat(LogMessageReader.events("m1", BODY, PACKED)).isEqualTo(EVENTS);
    }

    @Test
    void gzipPackedMessageIsDecoded() throws Exception {
        Map<String, String> attributes = Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip,base64",
                "EventCount", "3");
        assertThat(LogMessageReader.events("m1", gzipBase64(BODY), attributes)).isEqualTo(EVENTS);
    }

    @Test
    void withoutAttributesTheBodyDecides() throws Exception {
        assertThat(LogMessageReader.events("m1", BODY, Map.of())).isEqualTo(EVENTS);
        assertThat(LogMessageReader.events("m1", gzipBase64(BODY), Map.of())).isEqualTo(EVENTS);
        assertThat(LogMessageReader.events("m1", "H4sI not really", Map.of())).containsExactly("H4sI not really");
        assertThat(LogMessageReader.events("m1", "\"a\" said b", Map.of())).containsExactly("\"a\" said b");
    }

    @Test
    void corruptPackedBodiesRaiseAnExceptionNamingTheMessage() throws Exception {
        Map<String, String> gz = Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip,base64");
        assertThatThrownBy(() -> LogMessageReader.events("m-42", "!!!not base64", gz))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-42").hasMessageContaining("base64");
        assertThatThrownBy(() -> LogMessageReader.events("m-42", Base64.getEncoder().encodeToString("plain".getBytes()), gz))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("gzip");
        assertThatThrownBy(() -> LogMessageReader.events("m-42", "\"ok\"\nnot a record", PACKED))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("record 2");
        assertThatThrownBy(() -> LogMessageReader.events("m-42", "\"ok\"\n\"ok\"", PACKED))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("EventCount is 3 but the body holds 2");
        assertThatThrownBy(() -> LogMessageReader.events("m-42", "\"raw\ttab\"", Map.of("Content-Type", "application/x-ndjson")))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("control character");
        assertThatThrownBy(() -> LogMessageReader.events("m-42", "\"bad \\x escape\"", Map.of("Content-Type", "application/x-ndjson")))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("invalid escape");
        String truncatedGzip = gzipBase64(BODY);
        assertThatThrownBy(() -> LogMessageReader.events("m-42", truncatedGzip.substring(0, truncatedGzip.length() / 2), gz))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-42");
    }

    @Test
    void withAttributesDeliveredAMessageWithoutContentTypeIsExactlyItsBody() throws Exception {
        // What an unpacked message looks like: no Content-Type, perhaps the appender's own attributes.
        assertThat(LogMessageReader.events("m1", "\"done\"", Map.of(), true)).containsExactly("\"done\"");
        assertThat(LogMessageReader.events("m1", "\"a\"\n\"b\"", Map.of("level", "INFO"), true))
                .containsExactly("\"a\"\n\"b\"");
        assertThat(LogMessageReader.events("m1", gzipBase64(BODY), Map.of(), true)).containsExactly(gzipBase64(BODY));
        // Guessing is still what the three-argument form does.
        assertThat(LogMessageReader.events("m1", "\"done\"", Map.of())).containsExactly("done");
    }

    @Test
    void withoutAttributesACorruptGzipBodyIsAnErrorNotAnEvent() throws Exception {
        String gzip = gzipBase64(BODY);
        String truncated = gzip.substring(0, (gzip.length() / 2) / 4 * 4); // still valid base64
        assertThatThrownBy(() -> LogMessageReader.events("m-9", truncated, Map.of()))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-9").hasMessageContaining("gzip");
    }

    @Test
    void aFallbackObjectThatIsNotUtf8IsAnError() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(new byte[] {'"', (byte) 0xff, '"', '\n'});
        }
        assertThatThrownBy(() -> LogMessageReader.fallbackObject("k-1", out.toByteArray()))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("k-1").hasMessageContaining("UTF-8");
    }

    @Test
    void anUnknownContentEncodingIsNotGuessedAt() {
        assertThatThrownBy(() -> LogMessageReader.events("m-7", BODY, Map.of("Content-Type", "application/x-ndjson",
                "Content-Encoding", "zstd"))).isInstanceOf(CorruptMessageException.class).hasMessageContaining("zstd");
    }
}
