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
        assertThatThrownBy(() -> LogMessageReader.events("m-42", "\"\\u\uFF10\uFF10\uFF14\uFF11\"", Map.of("Content-Type", "application/x-ndjson")))
                .as("full-width digits are not hex digits").isInstanceOf(CorruptMessageException.class)
                .hasMessageContaining("invalid \\u escape");
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
    void aGzipPackWhoseContentTypeWasNotReceivedIsStillDecoded() throws Exception {
        // A consumer that asked SQS for Content-Encoding only: the body is a pack, not one event.
        Map<String, String> encodingOnly = Map.of("Content-Encoding", "gzip,base64", "EventCount", "3");
        assertThat(LogMessageReader.events("m1", gzipBase64(BODY), encodingOnly)).isEqualTo(EVENTS);
        assertThat(LogMessageReader.events("m1", gzipBase64(BODY), Map.of("Content-Encoding", "gzip,base64"), true))
                .isEqualTo(EVENTS);
        assertThatThrownBy(() -> LogMessageReader.events("m-9", "H4sIAAAA", encodingOnly))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-9");
    }

    @Test
    void anUnknownContentEncodingIsNotGuessedAt() {
        assertThatThrownBy(() -> LogMessageReader.events("m-7", BODY, Map.of("Content-Type", "application/x-ndjson",
                "Content-Encoding", "zstd"))).isInstanceOf(CorruptMessageException.class).hasMessageContaining("zstd");
    }

    @Test
    void anUnknownContentEncodingWithoutContentTypeIsRefusedNotReadAsOneEvent() {
        // Unpacked messages never carry Content-Encoding: this is a pack in a format this reader does not know.
        assertThatThrownBy(() -> LogMessageReader.events("m-8", "KLUv/QBYAAA=", Map.of("Content-Encoding", "zstd,base64"), true))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-8").hasMessageContaining("zstd,base64");
        assertThatThrownBy(() -> LogMessageReader.events("m-8", "KLUv/QBYAAA=", Map.of("Content-Encoding", "zstd,base64")))
                .isInstanceOf(CorruptMessageException.class);
        // Another producer's message with a Content-Type of its own is one event, as it is.
        assertThat(LogMessageReader.events("m-8", "<a/>", Map.of("Content-Type", "text/xml", "Content-Encoding", "identity"), true))
                .containsExactly("<a/>");
    }

    @Test
    void contentTypeIsComparedAsAMediaTypeWithoutCaseOrParameters() throws Exception {
        Map<String, String> relayed = Map.of("Content-Type", "Application/X-NDJSON; charset=utf-8",
                "Content-Encoding", "gzip,base64", "EventCount", "3");
        assertThat(LogMessageReader.events("m1", gzipBase64(BODY), relayed, true)).isEqualTo(EVENTS);
        assertThat(LogMessageReader.events("m1", BODY, Map.of("Content-Type", " application/x-ndjson ;charset=UTF-8"), false))
                .isEqualTo(EVENTS);
    }

    @Test
    void withEveryAttributeDeliveredAPackWithoutItsEventCountIsRefused() {
        assertThatThrownBy(() -> LogMessageReader.events("m-5", BODY, Map.of("Content-Type", "application/x-ndjson"), true))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-5").hasMessageContaining("EventCount");
        assertThat(LogMessageReader.events("m-5", BODY, Map.of("Content-Type", "application/x-ndjson", "EventCount", "3"), true))
                .isEqualTo(EVENTS);
        // Not said to be delivered whole: some attributes may have been left out on the way.
        assertThat(LogMessageReader.events("m-5", BODY, Map.of("Content-Type", "application/x-ndjson"))).isEqualTo(EVENTS);
    }

    @Test
    void aFallbackObjectHoldingOneEventOver17MiBIsReadWithALargerLimitOnly() throws Exception {
        int recordBytes = BoundedGunzip.MAX_INFLATED_BYTES + 512 * 1024; // one offloaded event, undeliverable
        byte[] object = gzipOf("\"" + "a".repeat(recordBytes - 3), 1, "\"\n");
        assertThatThrownBy(() -> LogMessageReader.fallbackObject("k-big", object))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("k-big");
        List<String> events = LogMessageReader.fallbackObject("k-big", object, 32 * 1024 * 1024);
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).hasSize(recordBytes - 3);
        assertThatThrownBy(() -> LogMessageReader.fallbackObject("k-big", object, 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInflatedBytes=1024");
    }

    @Test
    void aPointerIsTakenFromABodyOnlyWhenTheMessageIsMarkedAsOffloaded() {
        String pointer = "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"b\",\"s3Key\":\"k\"}]";
        assertThat(S3Pointer.ofOffloaded(pointer, java.util.Set.of("ExtendedPayloadSize"))).isEqualTo(new S3Pointer("b", "k"));
        assertThat(S3Pointer.ofOffloaded(pointer, java.util.Set.of("SQSLargePayloadSize", "level"))).isEqualTo(new S3Pointer("b", "k"));
        assertThat(S3Pointer.ofOffloaded(pointer, java.util.Set.of("level"))).as("a log line that reads like a pointer").isNull();
        assertThat(S3Pointer.ofOffloaded("just a line", java.util.Set.of("ExtendedPayloadSize"))).isNull();
    }

    // The reader's tests run in a 128 MiB heap (reader/pom.xml), a small Lambda's: a bomb that were
    // inflated whole, or decoded into millions of records, would end them with an OutOfMemoryError.

    private static final Map<String, String> GZ = Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip,base64");
    private static final int MAX_BYTES = BoundedGunzip.MAX_INFLATED_BYTES;
    private static final int MAX_RECORDS = BoundedGunzip.MAX_RECORDS;

    /** Gzip of {@code count} copies of {@code record}, then {@code last}, written as they go (no large array). */
    private static byte[] gzipOf(String record, long count, String last) throws Exception {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION); // a bomb's ratio, about 1,000:1
            }
        }) {
            if (count > 0) {
                byte[] block = new byte[bytes.length * Math.max(1, 64 * 1024 / bytes.length)];
                for (int i = 0; i < block.length; i += bytes.length) {
                    System.arraycopy(bytes, 0, block, i, bytes.length);
                }
                long perBlock = block.length / bytes.length;
                long left = count;
                for (; left >= perBlock; left -= perBlock) {
                    gz.write(block);
                }
                for (; left > 0; left--) {
                    gz.write(bytes);
                }
            }
            gz.write(last.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** One record of exactly {@code bytes} UTF-8 bytes, quotes included. */
    private static String recordOf(int bytes) {
        return "\"" + "a".repeat(bytes - 2) + "\"";
    }

    @Test
    void aGzipBombIsRefusedAtTheLimitWithoutTakingTheHeap() throws Exception {
        String record = recordOf(64 * 1024 - 1) + "\n"; // valid 64 KiB records: only the size refuses them
        String bomb = base64(gzipOf(record, 200 * 16, recordOf(10))); // 200 MiB
        assertThat(bomb.length()).isLessThan(1024 * 1024); // fits one SQS message
        assertThatThrownBy(() -> LogMessageReader.events("m-bomb", bomb, GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-bomb")
                .hasMessageContaining("inflates past " + MAX_BYTES + " bytes");
        assertThatThrownBy(() -> LogMessageReader.events("m-bomb", bomb, Map.of())) // no attributes: the body decides
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("inflates past");
        assertThatThrownBy(() -> LogMessageReader.fallbackObject("k-bomb", gzipOf(record, 200 * 16, "")))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("k-bomb").hasMessageContaining("inflates past");
    }

    @Test
    void aBodyThatInflatesToExactlyTheLimitIsReadAndOneByteMoreIsRefused() throws Exception {
        String exactly = base64(gzipOf("", 0, recordOf(MAX_BYTES)));
        assertThat(LogMessageReader.events("m-max", exactly, GZ)).singleElement()
                .satisfies(e -> assertThat(e).hasSize(MAX_BYTES - 2));
        String oneMore = base64(gzipOf("", 0, recordOf(MAX_BYTES + 1)));
        assertThatThrownBy(() -> LogMessageReader.events("m-max+1", oneMore, GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("inflates past");
    }

    @Test
    void exactlyTheMostRecordsAreReadAndOneMoreIsRefusedGzippedPlainOrInAFallbackObject() throws Exception {
        assertThat(LogMessageReader.events("m-n", base64(gzipOf("\"r\"\n", MAX_RECORDS - 1, "\"r\"")), GZ)).hasSize(MAX_RECORDS);
        assertThatThrownBy(() -> LogMessageReader.events("m-n+1", base64(gzipOf("\"r\"\n", MAX_RECORDS, "\"r\"")), GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-n+1")
                .hasMessageContaining("more than " + MAX_RECORDS + " records");

        Map<String, String> plain = Map.of("Content-Type", "application/x-ndjson");
        assertThat(LogMessageReader.events("p-n", "\"r\"\n".repeat(MAX_RECORDS - 1) + "\"r\"", plain)).hasSize(MAX_RECORDS);
        assertThatThrownBy(() -> LogMessageReader.events("p-n+1", "\"r\"\n".repeat(MAX_RECORDS) + "\"r\"", plain))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("more than " + MAX_RECORDS + " records");

        // A fallback object ends every record with a line break.
        assertThat(LogMessageReader.fallbackObject("k-n", gzipOf("\"r\"\n", MAX_RECORDS, ""))).hasSize(MAX_RECORDS);
        assertThatThrownBy(() -> LogMessageReader.fallbackObject("k-n+1", gzipOf("\"r\"\n", MAX_RECORDS + 1, "")))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("more than " + MAX_RECORDS + " records");
    }

    @Test
    void aBodyAtBothLimitsInTwoByteCharactersIsDecodedWithinASmallHeap() throws Exception {
        // The most a body may take: the most records, the most bytes, and a character outside
        // Latin-1 in every record, so the text and every event are two bytes per character.
        int recordBytes = MAX_BYTES / MAX_RECORDS; // 34, line break included
        String record = "\"\u20ac" + "b".repeat(recordBytes - 6) + "\"\n"; // € is three bytes in UTF-8
        assertThat(record.getBytes(StandardCharsets.UTF_8)).hasSize(recordBytes);
        String last = record.substring(0, record.length() - 1);
        String body = base64(gzipOf(record, MAX_RECORDS - 1, last));
        List<String> events = LogMessageReader.events("m-limits", body, GZ);
        assertThat(events).hasSize(MAX_RECORDS);
        assertThat(events.get(MAX_RECORDS - 1)).isEqualTo("\u20ac" + "b".repeat(recordBytes - 6));
    }

    @Test
    void aLargeBodyBeyondLatin1IsDecodedExactlyAcrossChunkBoundariesAndBadUtf8InItRefused() throws Exception {
        // Over 4 MiB of text with two- and four-byte characters: decoded chunk by chunk, with
        // characters split across the chunks (a record is 17 bytes, and no chunk boundary is a multiple of 17).
        String record = "\"\u00e9 \uD83D\uDE00 \u20ac-xy\"\n"; // 2 + 4 + 3 bytes of UTF-8 among ASCII
        assertThat(record.getBytes(StandardCharsets.UTF_8)).hasSize(17);
        int records = 5 * 1024 * 1024 / 17;
        String last = record.substring(0, record.length() - 1);
        List<String> events = LogMessageReader.events("m-wide", base64(gzipOf(record, records - 1, last)), GZ);
        assertThat(events).hasSize(records).allMatch("\u00e9 \uD83D\uDE00 \u20ac-xy"::equals);

        byte[] bad = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(bad, (byte) 'a');
        bad[0] = '"';
        bad[bad.length - 1] = '"';
        bad[1] = (byte) 0xc3; // a two-byte lead: the text has a non-ASCII byte, so the chunked decoder runs
        bad[2] = (byte) 0xa9;
        bad[3 * 1024 * 1024] = (byte) 0xe2; // a three-byte lead followed by ASCII: malformed
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bad);
        }
        assertThatThrownBy(() -> LogMessageReader.events("m-bad-wide", base64(out.toByteArray()), GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void theLargestPackTheAppenderWritesIsDecodedWithinASmallHeap() throws Exception {
        // 16 MiB of records, what one gzip'ed pack holds at most, 200-character lines.
        String line = "2026-12-06T21:30:00.000Z INFO  [worker-7] com.example.Job - processed batch of 1,024 rows"
                + " in 37 ms; \\\"quoted\\\" and a tab\\t then an accent \u00e9 and more text to reach the size..";
        String record = "\"" + line + "\"";
        int records = 16 * 1024 * 1024 / (record.length() + 1);
        String body = base64(gzipOf(record + "\n", records - 1, record));
        List<String> events = LogMessageReader.events("m-big", body, Map.of("Content-Type", "application/x-ndjson",
                "Content-Encoding", "gzip,base64", "EventCount", Integer.toString(records)));
        assertThat(events).hasSize(records);
        assertThat(events.get(records - 1)).contains("\"quoted\" and a tab\t then an accent \u00e9");
    }

    @Test
    void aRecordHoldingTheReplacementCharacterIsNotTakenForBadUtf8() throws Exception {
        Map<String, String> gz = Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip,base64");
        assertThat(LogMessageReader.events("m-1", gzipBase64("\"bad byte shown as \uFFFD\"\n\"next\""), gz))
                .containsExactly("bad byte shown as \uFFFD", "next");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(new byte[] {'"', (byte) 0xc3, '"'}); // a truncated two-byte sequence
        }
        assertThatThrownBy(() -> LogMessageReader.events("m-2", Base64.getEncoder().encodeToString(out.toByteArray()), gz))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("not UTF-8");
    }

    // One gzip member, exactly (as the Python recipe in docs/packing.md decodes it).

    private static byte[] gzipBytes(String text) throws Exception {
        return Base64.getDecoder().decode(gzipBase64(text));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void aSecondGzipMemberOrTrailingBytesAreRefusedNotRead() throws Exception {
        byte[] one = gzipBytes(BODY);
        byte[] second = gzipBytes("\"smuggled\"");
        String twoMembers = Base64.getEncoder().encodeToString(concat(one, second));
        assertThatThrownBy(() -> LogMessageReader.events("m-2", twoMembers, GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("m-2")
                .hasMessageContaining("bytes after its gzip member");
        assertThatThrownBy(() -> LogMessageReader.fallbackObject("k-2", concat(gzipBytes("\"a\"\n"), gzipBytes("\"b\"\n"))))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("after its gzip member");
        String trailing = Base64.getEncoder().encodeToString(concat(one, new byte[] {0}));
        assertThatThrownBy(() -> LogMessageReader.events("m-3", trailing, GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("1 bytes after its gzip member");
        assertThat(LogMessageReader.events("m-1", Base64.getEncoder().encodeToString(one), GZ)).isEqualTo(EVENTS);
    }

    @Test
    void aMemberWhoseTrailerDoesNotMatchItsTextIsRefused() throws Exception {
        byte[] badCrc = gzipBytes(BODY);
        badCrc[badCrc.length - 8] ^= 1;
        assertThatThrownBy(() -> LogMessageReader.events("m-c", Base64.getEncoder().encodeToString(badCrc), GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("CRC-32 does not match");
        byte[] badLength = gzipBytes(BODY);
        badLength[badLength.length - 4] ^= 1;
        assertThatThrownBy(() -> LogMessageReader.events("m-l", Base64.getEncoder().encodeToString(badLength), GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("length field does not match");
        byte[] noTrailer = java.util.Arrays.copyOf(gzipBytes(BODY), gzipBytes(BODY).length - 3);
        assertThatThrownBy(() -> LogMessageReader.events("m-t", Base64.getEncoder().encodeToString(noTrailer), GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("ends inside its trailer");
    }

    /** A member with every optional header field (RFC 1952: extra field, name, comment, header CRC). */
    private static byte[] memberWithOptionalFields(String text, boolean goodHeaderCrc) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(6, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] deflated = new byte[data.length + 64];
        int n = deflater.deflate(deflated);
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, (byte) 255});
        out.writeBytes(new byte[] {3, 0, 'x', 'y', 'z'}); // FEXTRA: three bytes
        out.writeBytes("logs.ndjson\0".getBytes(StandardCharsets.ISO_8859_1)); // FNAME
        out.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1)); // FCOMMENT
        java.util.zip.CRC32 headerCrc = new java.util.zip.CRC32();
        headerCrc.update(out.toByteArray());
        int crc16 = (int) headerCrc.getValue() & 0xffff ^ (goodHeaderCrc ? 0 : 1);
        out.writeBytes(new byte[] {(byte) crc16, (byte) (crc16 >> 8)});
        out.write(deflated, 0, n);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        for (long v : new long[] {crc.getValue(), data.length}) {
            out.writeBytes(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
        }
        return out.toByteArray();
    }

    @Test
    void aMemberWithOptionalHeaderFieldsIsReadAndABadHeaderRefused() {
        assertThat(LogMessageReader.events("m-h", Base64.getEncoder().encodeToString(memberWithOptionalFields(BODY, true)), GZ))
                .isEqualTo(EVENTS);
        assertThatThrownBy(() -> LogMessageReader.events("m-hc",
                Base64.getEncoder().encodeToString(memberWithOptionalFields(BODY, false)), GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("header CRC does not match");
        byte[] reserved = memberWithOptionalFields(BODY, true);
        reserved[3] |= (byte) 0x20;
        assertThatThrownBy(() -> LogMessageReader.events("m-r", Base64.getEncoder().encodeToString(reserved), GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("reserved flags");
        byte[] header = java.util.Arrays.copyOf(memberWithOptionalFields(BODY, true), 14);
        assertThatThrownBy(() -> LogMessageReader.events("m-hh", Base64.getEncoder().encodeToString(header), GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("ends inside its header");
        // 10 fixed bytes, 5 of extra field, 12 of name, 10 of comment: cut inside the header CRC that follows.
        byte[] beforeHeaderCrc = java.util.Arrays.copyOf(memberWithOptionalFields(BODY, true), 38);
        assertThatThrownBy(() -> LogMessageReader.events("m-hcrc", Base64.getEncoder().encodeToString(beforeHeaderCrc), GZ))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("ends inside its header");
    }
}
