package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.text.MessageAttribute;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MessageEncoderTest {

    @Test
    void sizeCountsBodyAndEveryAttributesNameTypeAndValue() {
        DispatcherHarness h = new DispatcherHarness(Map.of("messageAttributes", "level,logger,mdc:requestId,mdc:absent,timestamp"));
        IntakeEvent m = h.encoder.encode("héllo", "WARN", DispatcherHarness.ACCESSOR);
        assertThat(m.bodyBytes()).isEqualTo(6);
        assertThat(m.attributes()).extracting(MessageAttribute::name)
                .containsExactly("level", "logger", "mdc.requestId", "timestamp");
        int expectedAttributes = ("level" + "String" + "WARN").length() + ("logger" + "String" + "test.Logger").length()
                + ("mdc.requestId" + "String" + "r-42").length() + ("timestamp" + "Number" + "1700000000000").length();
        assertThat(m.sizeBytes()).isEqualTo(6 + expectedAttributes);
        assertThat(m.important()).isTrue();
    }

    @Test
    void emptyAndNullBodiesAreCountedNotSent() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        assertThat(h.encoder.encode("", "INFO", DispatcherHarness.ACCESSOR)).isNull();
        assertThat(h.encoder.encode(null, "INFO", DispatcherHarness.ACCESSOR)).isNull();
        assertThat(h.metrics.getEventsDroppedEmpty()).isEqualTo(2);
    }

    @Test
    void whitespaceOnlyBodiesAreSent() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        assertThat(h.encoder.encode(" \n", "INFO", DispatcherHarness.ACCESSOR)).isNotNull();
    }

    @Test
    void sanitizesBodyAndCountsIt() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        IntakeEvent m = h.encoder.encode("a\u0000b", "INFO", DispatcherHarness.ACCESSOR);
        assertThat(m.body()).isEqualTo("a\uFFFDb");
        assertThat(m.bodyBytes()).isEqualTo(5);
        assertThat(h.metrics.getEventsSanitized()).isEqualTo(1);
    }

    @Test
    void lookupSyntaxIsSentVerbatim() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        assertThat(h.encoder.encode("${jndi:ldap://x/a} ${env:HOME}", "INFO", DispatcherHarness.ACCESSOR).body())
                .isEqualTo("${jndi:ldap://x/a} ${env:HOME}");
    }

    @Test
    void truncatesOnTheCallerToTheConfiguredLimitKeepingAttributesInside() {
        DispatcherHarness h = new DispatcherHarness(Map.of("maxMessageBytes", "1024", "messageAttributes", "logger"));
        IntakeEvent m = h.encoder.encode("x".repeat(2 * 1024 * 1024), "INFO", DispatcherHarness.ACCESSOR);
        assertThat(m.sizeBytes()).isLessThanOrEqualTo(1024);
        assertThat(m.truncated()).isTrue();
        assertThat(h.metrics.getEventsTruncated()).isEqualTo(1);
    }

    /** The deduplication ids of what {@code h} sends for {@code count} identical lines. */
    private static List<String> sentDeduplicationIds(DispatcherHarness h, int count) {
        for (int i = 0; i < count; i++) {
            h.log("same");
        }
        h.ticker.advanceMillis(200);
        for (int i = 0; i < 2 * count + 10; i++) { // a FIFO group has one request in flight: one step each
            h.step();
        }
        return h.sender.batches().stream().flatMap(List::stream).map(e -> e.message().deduplicationId()).toList();
    }

    @Test
    void fifoMessagesGetAGroupAndAUniqueDeduplicationIdDrawnOnTheDispatcher() {
        DispatcherHarness h = new DispatcherHarness(Map.of("queueUrl", "https://sqs.us-east-1.amazonaws.com/1/q.fifo"));
        assertThat(h.encoder.encode("same", "INFO", DispatcherHarness.ACCESSOR).groupId()).isEqualTo("host-1");
        assertThat(sentDeduplicationIds(h, 2)).hasSize(2).doesNotContainNull().doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).hasSizeLessThanOrEqualTo(128));
    }

    @Test
    void everyDeduplicationIdIsDrawnAfreshNotASharedPrefixAndACount() {
        // Lambda SnapStart restores many environments from one snapshot: whatever was drawn before
        // it (a prefix) and counted since is the same in all of them, and SQS would drop their
        // later copies as duplicates. Each id must stand on its own randomness.
        DispatcherHarness h = new DispatcherHarness(Map.of("queueUrl", "https://sqs.us-east-1.amazonaws.com/1/q.fifo"));
        List<String> ids = sentDeduplicationIds(h, 200);
        assertThat(ids).hasSize(200).allSatisfy(id -> assertThat(id).hasSizeLessThanOrEqualTo(128).matches("[0-9a-f-]+"));
        assertThat(ids.stream().map(id -> id.substring(0, 13)).distinct()).as("ids share no drawn-once prefix").hasSize(200);
    }

    @Test
    void contentDeduplicationSendsNoId() {
        DispatcherHarness h = new DispatcherHarness(Map.of("queueUrl", "https://sqs.us-east-1.amazonaws.com/1/q.fifo",
                "deduplication", "content"));
        assertThat(sentDeduplicationIds(h, 3)).hasSize(3).containsOnlyNulls();
    }

    @Test
    void aPackableEventIsSentAloneWithItsOwnBodyAndWritesItsRecordInPlace() {
        String body = "tab\there \"quoted\" é \u2028 \uD83D\uDE00";
        IntakeEvent event = new IntakeEvent(body, io.github.sqsappender.core.text.Utf8.encodedLength(body), java.util.List.of(), null, false, false, 0)
                .packable(io.github.sqsappender.core.text.JsonRecord.extraBytes(body));
        assertThat(event.body()).isEqualTo(body);
        assertThat(event.toWire(null).body()).isEqualTo(body);
        assertThat(event.toWire(null).bodyBytes()).isEqualTo(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(event.packedBytes()).isEqualTo(recordOf(body).length + 1);
        byte[] out = new byte[event.recordBytes() + 4];
        java.util.Arrays.fill(out, (byte) '#');
        assertThat(event.writeRecord(out, 2)).isEqualTo(2 + event.recordBytes());
        assertThat(java.util.Arrays.copyOfRange(out, 2, 2 + event.recordBytes())).isEqualTo(recordOf(body));
        assertThat(new String(out, 0, 2, java.nio.charset.StandardCharsets.UTF_8)).as("nothing before it touched").isEqualTo("##");
        assertThat(new String(out, out.length - 2, 2, java.nio.charset.StandardCharsets.UTF_8)).as("nor after it").isEqualTo("##");
    }

    private static byte[] recordOf(String body) {
        StringBuilder sb = new StringBuilder();
        io.github.sqsappender.core.text.JsonRecord.append(sb, body);
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aRecordIsChargedWhatItsBodyTakesAsAStringWhereverItBecomesOne() {
        DispatcherHarness h = new DispatcherHarness(java.util.Map.of("packing", "ndjson"));
        String body = "a".repeat(1_000) + "\u2192"; // one char above Latin-1: a String of two bytes per char
        IntakeEvent event = h.encoder.encode(body, "INFO", DispatcherHarness.ACCESSOR);
        assertThat(event.packedBytes()).as("its record: quotes, escapes, line break").isEqualTo(1_000 + 3 + 2 + 1);
        assertThat(event.budgetBytes()).isEqualTo(2 * 1_001 + IntakeEvent.HEAP_OVERHEAD_BYTES);
        IntakeEvent ascii = h.encoder.encode("a".repeat(1_000), "INFO", DispatcherHarness.ACCESSOR);
        assertThat(ascii.budgetBytes()).as("its record's bytes").isEqualTo(1_002 + IntakeEvent.HEAP_OVERHEAD_BYTES);
    }
}
