package io.github.sqsappender.core.text;

import io.github.sqsappender.reader.LogMessageReader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonRecordTest {

    private static String record(String body) {
        StringBuilder sb = new StringBuilder();
        JsonRecord.append(sb, body);
        return sb.toString();
    }

    @Test
    void escapesEveryCharacterClassSoNoRecordHoldsALineBreak() {
        assertThat(record("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(record("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
        assertThat(record("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
        assertThat(record("\u007f\u0080\u0085\u009f")).isEqualTo("\"\\u007f\\u0080\\u0085\\u009f\"");
        assertThat(record("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
        assertThat(record("é€\uD83D\uDE00 plain")).isEqualTo("\"é€\uD83D\uDE00 plain\"");
        for (int c = 0; c < 0x3000; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            String r = record(String.valueOf((char) c));
            assertThat(r.lines().count()).as("U+%04X", c).isEqualTo(1);
            assertThat(r).doesNotContain("\u0085", "\u2028", "\u2029", "\r", "\n");
        }
    }

    @Test
    void extraBytesIsExactlyWhatTheRecordAddsInUtf8AndTheReaderGetsTheBodyBack() {
        Random random = new Random(42);
        char[] alphabet = "ab\"\\\n\r\t\u0000\u0007\u007f\u0085\u2028\u2029é€ {}:,".toCharArray();
        for (int i = 0; i < 2_000; i++) {
            StringBuilder body = new StringBuilder();
            for (int j = random.nextInt(40); j >= 0; j--) {
                body.append(random.nextInt(10) == 0 ? "\uD83D\uDE00" : String.valueOf(alphabet[random.nextInt(alphabet.length)]));
            }
            String b = body.toString();
            String r = record(b);
            assertThat(r.getBytes(StandardCharsets.UTF_8).length)
                    .isEqualTo(b.getBytes(StandardCharsets.UTF_8).length + JsonRecord.extraBytes(b));
            assertThat(LogMessageReader.events("m", r, Map.of("Content-Type", "application/x-ndjson")))
                    .isEqualTo(List.of(b));
        }
    }

    @Test
    void theRecordInUtf8IsWhatTheStringEncoderWritesAndTheReaderGetsTheBodyBack() {
        Random random = new Random(7);
        char[] alphabet = "ab\"\\\n\r\t\b\f\u0000\u0007\u007f\u0080\u0085\u009f\u00a0\u07ff\u0800\u2028\u2029é€\uffff {}:,".toCharArray();
        List<String> bodies = new java.util.ArrayList<>(List.of("plain ascii line", "\"", "\\", "x"));
        for (int i = 0; i < 3_000; i++) {
            StringBuilder body = new StringBuilder();
            for (int j = random.nextInt(40); j >= 0; j--) {
                body.append(random.nextInt(10) == 0 ? "\uD83D\uDE00" : String.valueOf(alphabet[random.nextInt(alphabet.length)]));
            }
            bodies.add(body.toString());
        }
        for (String b : bodies) {
            int bodyBytes = Utf8.encodedLength(b);
            byte[] encoded = JsonRecord.encode(b, bodyBytes, JsonRecord.extraBytes(b));
            assertThat(new String(encoded, StandardCharsets.UTF_8)).as("record of %s", b).isEqualTo(record(b));
            assertThat(LogMessageReader.events("m", new String(encoded, StandardCharsets.UTF_8),
                    Map.of("Content-Type", "application/x-ndjson"))).isEqualTo(List.of(b));
        }
    }

    @Test
    void measureIsTheBodysValidLengthAndTheRecordsExtraInOnePass() {
        Random random = new Random(11);
        // Every ASCII character (SQS refuses most controls), and beyond ASCII a lone surrogate (refused).
        char[] alphabet = ("ab\"\\\n\r\t\b\f\u0000\u0001\u0007\u001f\u007f\u0080\u0085\u2028é€\ud800 {}:,").toCharArray();
        List<String> bodies = new java.util.ArrayList<>(List.of("", "plain ascii line", "\u0000", "é"));
        for (char c = 0; c < 128; c++) {
            bodies.add("x" + c + "y");
        }
        for (int i = 0; i < 3_000; i++) {
            StringBuilder body = new StringBuilder();
            for (int j = random.nextInt(40); j >= 0; j--) {
                body.append(alphabet[random.nextInt(alphabet.length)]);
            }
            bodies.add(body.toString());
        }
        int refused = 0;
        for (String b : bodies) {
            int valid = Utf8.encodedLengthIfValid(b);
            long measured = JsonRecord.measure(b);
            if (valid < 0) {
                refused++;
                assertThat(measured).as("measure of %s", b).isEqualTo(-1);
            } else {
                assertThat(measured).as("measure of %s", b).isEqualTo((long) valid << 32 | JsonRecord.extraBytes(b));
            }
        }
        assertThat(refused).as("bodies SQS refuses were among them").isPositive().isLessThan(bodies.size());
    }

    @Test
    void anAsciiRecordIsRightWhereverItsEscapesSit() {
        Random random = new Random(13);
        char[] plain = "abc xyz:,{}0123".toCharArray();
        char[] escaped = "\"\\\n\r\t\b\f\u0001\u007f".toCharArray();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder body = new StringBuilder();
            int length = random.nextInt(60);
            int escapes = random.nextInt(4);
            for (int j = 0; j < length; j++) {
                body.append(plain[random.nextInt(plain.length)]);
            }
            for (int e = 0; e < escapes; e++) { // at the start, the end, or anywhere
                int at = switch (random.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> body.length();
                    default -> random.nextInt(body.length() + 1);
                };
                body.insert(at, escaped[random.nextInt(escaped.length)]);
            }
            String b = body.toString();
            byte[] out = new byte[Utf8.encodedLength(b) + JsonRecord.extraBytes(b) + 6];
            java.util.Arrays.fill(out, (byte) '#');
            assertThat(JsonRecord.encodeInto(b, Utf8.encodedLength(b), JsonRecord.extraBytes(b), out, 3)).isEqualTo(out.length - 3);
            assertThat(new String(out, StandardCharsets.UTF_8)).as("record of %s", b).isEqualTo("###" + record(b) + "###");
        }
    }
}
