package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.text.JsonRecord;
import io.github.sqsappender.core.text.Utf8;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Pack bodies: the joined records, or one standard gzip member of them base64'ed, whatever the records' sizes. */
class PackWriterTest {

    private static IntakeEvent record(String body) {
        return IntakeEvent.packable(body, Utf8.encodedLength(body), JsonRecord.extraBytes(body), List.of(), null,
                false, false, 0);
    }

    /** What a reader gets back: base64, then one gzip member, as the JDK's own decoders read it. */
    private static byte[] decode(String body) throws Exception {
        assertThat(body).matches("[A-Za-z0-9+/]*={0,2}").hasSize(body.length() / 4 * 4);
        byte[] gzip = Base64.getDecoder().decode(body);
        assertThat(gzip[0] & 0xff).isEqualTo(0x1f);
        assertThat(gzip[1] & 0xff).isEqualTo(0x8b);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            byte[] text = in.readAllBytes();
            assertThat(in.read()).isEqualTo(-1);
            return text; // GZIPInputStream has checked the CRC and the length in the trailer
        }
    }

    @Test
    void encodesTheRecordsJoinedByLineBreaksAsOneGzipMember() throws Exception {
        List<IntakeEvent> events = List.of(record("a"), record("line \"two\"\n"), record("drei ü €"));
        String body = new PackWriter().gzipBase64(events, 0, 3, Integer.MAX_VALUE);
        assertThat(new String(decode(body), StandardCharsets.UTF_8))
                .isEqualTo("\"a\"\n\"line \\\"two\\\"\\n\"\n\"drei ü €\"");
        assertThat(PackEncoder.gunzipBase64(body)).isEqualTo(new String(PackEncoder.text(events, 0, 3), StandardCharsets.UTF_8));
    }

    @Test
    void encodesOnlyTheRangeAsked() throws Exception {
        List<IntakeEvent> events = List.of(record("one"), record("two"), record("three"));
        assertThat(decode(new PackWriter().gzipBase64(events, 1, 3, Integer.MAX_VALUE))).isEqualTo(PackEncoder.text(events, 1, 3));
        assertThat(decode(new PackWriter().gzipBase64(events, 2, 3, Integer.MAX_VALUE))).isEqualTo("\"three\"".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recordsOfEverySizeAroundTheChunkComeOutExactlyAndInOrder() throws Exception {
        Random random = new Random(42);
        List<IntakeEvent> events = new ArrayList<>();
        // Records shorter than, equal to, just under and far over the 32 KiB chunk, and many small
        // ones whose separators fall on chunk boundaries.
        for (int length : new int[] {1, 32 * 1024 - 2, 32 * 1024 - 3, 32 * 1024, 32 * 1024 + 1, 100_000, 5, 3}) {
            events.add(record(text(random, length)));
        }
        for (int i = 0; i < 5_000; i++) {
            events.add(record(text(random, 1 + random.nextInt(40))));
        }
        assertThat(decode(new PackWriter().gzipBase64(events, 0, events.size(), Integer.MAX_VALUE)))
                .isEqualTo(PackEncoder.text(events, 0, events.size()));
    }

    @Test
    void aReusedWriterEncodesEachPackOnItsOwn() throws Exception {
        PackWriter writer = new PackWriter();
        Random random = new Random(7);
        for (int pack = 0; pack < 20; pack++) {
            List<IntakeEvent> events = new ArrayList<>();
            int count = 1 + random.nextInt(pack % 2 == 0 ? 3 : 3_000); // small after large: stale bytes would show
            for (int i = 0; i < count; i++) {
                events.add(record(text(random, 1 + random.nextInt(300))));
            }
            assertThat(decode(writer.gzipBase64(events, 0, count, Integer.MAX_VALUE))).isEqualTo(PackEncoder.text(events, 0, count));
        }
    }

    @Test
    void padsTheBase64ForEveryLengthOfTheGzipMember() throws Exception {
        PackWriter writer = new PackWriter();
        java.util.Set<Integer> remainders = new java.util.HashSet<>();
        for (int n = 1; n < 40; n++) {
            List<IntakeEvent> events = List.of(record("x".repeat(n) + n));
            String body = writer.gzipBase64(events, 0, 1, Integer.MAX_VALUE);
            remainders.add(Base64.getDecoder().decode(body).length % 3);
            assertThat(decode(body)).isEqualTo(PackEncoder.text(events, 0, 1));
        }
        assertThat(remainders).containsExactlyInAnyOrder(0, 1, 2);
    }

    private static String text(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    @Test
    void writesThePlainTextOfEachPackInABufferItReusesAndInterleavesWithGzip() throws Exception {
        PackWriter writer = new PackWriter();
        Random random = new Random(3);
        for (int pack = 0; pack < 20; pack++) {
            List<IntakeEvent> events = new ArrayList<>();
            StringBuilder expectedText = new StringBuilder(); // the records as the String-based encoder writes them
            int count = 1 + random.nextInt(pack % 2 == 0 ? 3 : 2_000); // small after large: stale bytes would show
            for (int i = 0; i < count; i++) {
                String body = i % 7 == 0 ? "tab\there \"q\" é \u2028 \uD83D\uDE00\n" : text(random, 1 + random.nextInt(300));
                events.add(record(body));
                if (i > 0) {
                    expectedText.append('\n');
                }
                JsonRecord.append(expectedText, body);
            }
            String expected = expectedText.toString();
            assertThat(writer.text(events, 0, count)).isEqualTo(expected);
            assertThat(new String(decode(writer.gzipBase64(events, 0, count, Integer.MAX_VALUE)), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    @Test
    void stopsCompressingOncePastTheRoomAndSaysHowWellItWasGoing() throws Exception {
        Random random = new Random(5);
        List<IntakeEvent> events = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            events.add(record("event " + i + " " + text(random, 20) + " the same words again and again"));
        }
        PackWriter writer = new PackWriter();
        String whole = writer.gzipBase64(events, 0, events.size(), Integer.MAX_VALUE);
        double ratio = (double) PackEncoder.textBytes(events, 0, events.size()) / whole.length();
        assertThat(writer.gzipBase64(events, 0, events.size(), whole.length() / 3)).as("a third of the room").isNull();
        assertThat(writer.ratioSoFar()).as("never below the true ratio").isGreaterThanOrEqualTo(ratio * 0.99);
        assertThat(writer.ratioSoFar()).isLessThan(ratio * 1.5);
        assertThat(writer.gzipBase64(events, 0, events.size(), whole.length())).as("exactly the room").isEqualTo(whole);
        assertThat(writer.gzipBase64(events, 0, events.size(), whole.length() - 1)).isNull();
    }

    @Test
    void letsGoOfABufferALargePackGrewAndKeepsOneOfAnOrdinarySize() throws Exception {
        Random random = new Random(9);
        List<IntakeEvent> large = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            large.add(record(text(random, 200))); // 2.4 MB of text that compresses little
        }
        PackWriter writer = new PackWriter();
        assertThat(writer.text(large, 0, large.size())).hasSize((int) PackEncoder.textBytes(large, 0, large.size()));
        assertThat(writer.keptBytes()).isLessThanOrEqualTo(2 * PackWriter.MAX_KEPT_BYTES);
        assertThat(decode(writer.gzipBase64(large, 0, large.size(), Integer.MAX_VALUE)))
                .isEqualTo(PackEncoder.text(large, 0, large.size()));
        assertThat(writer.keptBytes()).isLessThanOrEqualTo(2 * PackWriter.MAX_KEPT_BYTES);
        List<IntakeEvent> ordinary = large.subList(0, 1_000);
        writer.gzipBase64(ordinary, 0, ordinary.size(), Integer.MAX_VALUE);
        assertThat(writer.keptBytes()).as("kept for the next pack").isPositive();
        writer.close();
    }

    @Test
    void aJobWhoseWriterFailsSendsEveryEventAsPlainRecordsInOrderAndSaysWhy() {
        List<IntakeEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(record("event " + i + " \"quoted\""));
        }
        PackWriter ended = new PackWriter();
        ended.gzipBase64(events, 0, 1, Integer.MAX_VALUE);
        ended.close(); // its deflater ended: any use fails, as a pack thread's write might
        java.util.concurrent.atomic.AtomicInteger wakes = new java.util.concurrent.atomic.AtomicInteger();
        int limit = 400; // room for a few records per piece
        PackJob job = new PackJob(events, new long[events.size()], true, limit, 0, wakes::incrementAndGet, ended);
        job.run();
        assertThat(job.isDone()).isTrue();
        assertThat(wakes).hasValue(1);
        assertThat(job.failure()).as("why, for the status report").isNotNull();
        List<PackJob.Piece> pieces = job.pieces();
        assertThat(pieces).hasSizeGreaterThan(1).allSatisfy(piece -> {
            assertThat(piece.gzipped()).isFalse();
            assertThat(piece.bodyBytes()).isLessThanOrEqualTo(limit);
        });
        StringBuilder joined = new StringBuilder();
        int next = 0;
        for (PackJob.Piece piece : pieces) {
            assertThat(piece.from()).isEqualTo(next);
            next = piece.to();
            assertThat(piece.body()).isEqualTo(new String(PackEncoder.text(events, piece.from(), piece.to()), StandardCharsets.UTF_8));
            joined.append(piece.body()).append('\n');
        }
        assertThat(next).isEqualTo(events.size());
        assertThat(joined.toString().split("\n")).hasSize(events.size());
    }
}
