package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.text.MessageAttribute;
import io.github.sqsappender.core.testing.InMemorySqsSender;
import io.github.sqsappender.reader.LogMessageReader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Many events per message: pack boundaries, gzip, accounting per event, FIFO order, flush. */
class PackingTest {

    static List<String> decode(SqsSender.BatchEntry entry) {
        Map<String, String> attributes = new HashMap<>();
        for (MessageAttribute a : entry.message().attributes()) {
            attributes.put(a.name(), a.value());
        }
        return LogMessageReader.events(entry.id(), entry.message().body(), attributes);
    }

    static List<String> decodeAll(InMemorySqsSender sender) {
        List<String> events = new ArrayList<>();
        for (List<SqsSender.BatchEntry> batch : sender.batches()) {
            for (SqsSender.BatchEntry entry : batch) {
                events.addAll(decode(entry));
            }
        }
        return events;
    }

    static Map<String, String> attributesOf(SqsSender.BatchEntry entry) {
        Map<String, String> attributes = new HashMap<>();
        entry.message().attributes().forEach(a -> attributes.put(a.name(), a.value()));
        return attributes;
    }

    /** Steps until nothing changes, then lets the last partial pack's linger pass and steps again. */
    private static void drain(DispatcherHarness h) {
        steps(h);
        h.ticker.advanceMillis(200);
        steps(h);
    }

    private static void steps(DispatcherHarness h) {
        for (int i = 0; i < 50; i++) {
            h.step();
        }
    }

    @Test
    void packsFillUpToMaxPackBytesWithAttributesCountedAndKeepLogOrder() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "maxPackBytes", "1024"));
        List<String> logged = IntStream.range(0, 100).mapToObj(i -> "event number " + i + " " + "x".repeat(i % 37)).toList();
        logged.forEach(h::log);
        drain(h);

        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.message().sizeBytes()).isLessThanOrEqualTo(1024);
            assertThat(attributesOf(e)).containsEntry("Content-Type", "application/x-ndjson")
                    .containsEntry("EventCount", String.valueOf(decode(e).size())).doesNotContainKey("Content-Encoding");
            assertThat(e.message().bodyBytes()).isEqualTo(e.message().body().getBytes(StandardCharsets.UTF_8).length);
        });
        assertThat(entries.size()).isLessThan(20);
        // Full packs: the next record would not have fit.
        assertThat(entries.subList(0, entries.size() - 1)).allSatisfy(e -> assertThat(e.message().sizeBytes()).isGreaterThan(1024 - 100));
        assertThat(decodeAll(h.sender)).isEqualTo(logged);
        assertThat(h.metrics.getEventsSent()).isEqualTo(100);
        assertThat(h.metrics.getMessagesSent()).isEqualTo(entries.size());
        assertThat(h.metrics.getBufferedEvents()).isZero();
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void everyStarted64KiBOfARequestIsOneBilledUnitAndBytesSentCountsEveryMessage() {
        // Packs of up to 200,000 bytes, several to a request (at most 1 MiB): requests of 1 to 16 units.
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "maxPackBytes", "200000",
                "maxMessageBytes", "1048576"));
        for (int i = 0; i < 9_000; i++) {
            h.log("event " + i + " " + "y".repeat(100 + i % 200));
        }
        drain(h);

        long billed = 0;
        long bytes = 0;
        long largestRequest = 0;
        for (List<SqsSender.BatchEntry> request : h.sender.batches()) {
            long payload = request.stream().mapToLong(e -> e.message().sizeBytes()).sum();
            billed += (payload + 65_535) / 65_536;
            bytes += payload;
            largestRequest = Math.max(largestRequest, payload);
        }
        assertThat(largestRequest).as("a request of several packs").isGreaterThan(3 * 65_536);
        assertThat(h.metrics.getBatchRequests()).isEqualTo(h.sender.batches().size());
        assertThat(h.metrics.getBilledRequestUnits()).isEqualTo(billed).isGreaterThan(h.sender.batches().size());
        assertThat(h.metrics.getBytesSent()).isEqualTo(bytes);
        assertThat(h.metrics.getEventsSent()).isEqualTo(9_000);
    }

    @Test
    void aGzipPackNeverInflatesPastTheRawBoundHoweverWellItCompresses() {
        // 10 KB events that compress about 100:1: by the message limit alone a pack would gather
        // about 100 MiB of text; the raw bound closes it before the event that would pass 16 MiB.
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "compression", "gzip",
                "maxPackBytes", "1048576", "maxMessageBytes", "1048576", "maxBufferBytes", "67108864"));
        String filler = "z".repeat(10_000);
        int events = 2_000; // about 19.1 MiB of records
        for (int i = 0; i < events; i++) {
            h.log(i + " " + filler);
        }
        drain(h);

        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).hasSizeGreaterThan(1);
        assertThat(entries).allSatisfy(e -> {
            assertGzipPack(e);
            long inflated = PackEncoder.gunzipBase64(e.message().body()).getBytes(StandardCharsets.UTF_8).length;
            assertThat(inflated).isLessThanOrEqualTo(PackAssembler.MAX_RAW_PACK_BYTES);
        });
        // The first pack closes at the ratio assumed before any was measured; the next one learned it.
        long largest = entries.stream().mapToLong(e -> PackEncoder.gunzipBase64(e.message().body()).length()).max().orElseThrow();
        assertThat(largest).as("a pack full up to the bound").isGreaterThan(PackAssembler.MAX_RAW_PACK_BYTES - 20_000);
        assertThat(decodeAll(h.sender)).hasSize(events);
        assertThat(h.metrics.getEventsSent()).isEqualTo(events);
    }

    @Test
    void aPackHoldsAtMostMaxRecordsEventsHoweverSmallTheyAre() {
        // A buffer raised far past its default, full of one-character events: by size alone one
        // gzip'ed pack would take them all (660,000 records are 2.6 MiB of text).
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "compression", "gzip",
                "maxPackBytes", "1048576", "maxMessageBytes", "1048576", "maxBufferBytes", "268435456"));
        int events = PackEncoder.MAX_RECORDS + 160_000;
        for (int i = 0; i < events; i++) {
            h.log(i % 2 == 0 ? "x" : "y");
        }
        drain(h);

        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).allSatisfy(e -> assertThat(Integer.parseInt(attributesOf(e).get("EventCount")))
                .isLessThanOrEqualTo(PackEncoder.MAX_RECORDS));
        assertThat(entries).anySatisfy(e -> assertThat(attributesOf(e).get("EventCount"))
                .isEqualTo(Integer.toString(PackEncoder.MAX_RECORDS)));
        assertThat(decodeAll(h.sender)).hasSize(events); // the reader accepts every pack
        assertThat(h.metrics.getEventsSent()).isEqualTo(events);
    }

    @Test
    void aPartialPackWaitsForTheLingerOfItsOldestEvent() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson"));
        h.log("a");
        assertThat(h.step()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        h.ticker.advanceMillis(150);
        h.log("b");
        h.step();
        assertThat(h.sender.batches()).isEmpty();
        h.ticker.advanceMillis(50);
        h.step();
        assertThat(h.sender.batches()).hasSize(1);
        assertThat(decodeAll(h.sender)).containsExactly("a", "b");
    }

    @Test
    void underPressureAPartialPackIsSentAtOnceWhateverTheLinger() {
        // bufferCapacity 10: above half of it (6 events) the buffer is under pressure
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "lingerMs", "600000", "bufferCapacity", "10"));
        for (int i = 0; i < 5; i++) {
            h.log("e" + i);
        }
        h.step();
        assertThat(h.sender.batches()).as("half full: the linger still applies").isEmpty();
        h.log("e5");
        h.step();
        assertThat(h.sender.batches()).as("above half: due at once").hasSize(1);
        assertThat(decodeAll(h.sender)).containsExactly("e0", "e1", "e2", "e3", "e4", "e5");
    }

    @Test
    void aFlushInTheMiddleOfAPackSendsItAtOnce() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson"));
        h.logMany("e", 5);
        CompletableFuture<Boolean> flush = h.dispatcher.intake().requestFlush();
        h.logMany("late", 3);
        h.step();
        h.step();
        assertThat(flush).isCompletedWithValue(true);
        assertThat(decodeAll(h.sender)).startsWith("e0", "e1", "e2", "e3", "e4");
    }

    @Test
    void anEventExactlyAtTheLimitIsPackedAloneAndOneByteOverGoesUnpacked() {
        int limit = 2048;
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "maxPackBytes", String.valueOf(limit)));
        int room = limit - PackEncoder.MAX_PACK_ATTRIBUTE_BYTES - 2; // minus the record's quotes
        h.log("x".repeat(room));
        h.log("y".repeat(room + 1));
        drain(h);
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).hasSize(2);
        assertThat(attributesOf(entries.get(0))).containsEntry("EventCount", "1");
        assertThat(decode(entries.get(0))).containsExactly("x".repeat(room));
        assertThat(entries.get(0).message().sizeBytes()).isLessThanOrEqualTo(limit);
        assertThat(attributesOf(entries.get(1))).doesNotContainKey("Content-Type");
        assertThat(entries.get(1).message().body()).isEqualTo("y".repeat(room + 1));
    }

    @Test
    void gzipPacksNeverExceedTheLimitAfterCompressionAndDecodeExactly() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "compression", "gzip", "maxPackBytes", "4096"));
        List<String> logged = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String line = "2026-12-01T09:" + (i % 60) + " INFO [worker-" + (i % 7) + "] c.e.Service - order " + (i * 7919 % 10007)
                    + " shipped to customer " + (i * 31 % 997);
            logged.add(line);
            h.log(line);
            if (i % 500 == 0) {
                h.step();
            }
        }
        drain(h);
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.message().sizeBytes()).isLessThanOrEqualTo(4096);
            assertThat(attributesOf(e)).containsEntry("Content-Encoding", "gzip,base64");
            assertThat(e.message().body()).startsWith("H4sI").doesNotContain("\n", "\r");
        });
        assertThat(decodeAll(h.sender)).isEqualTo(logged);
        long raw = logged.stream().mapToLong(s -> s.length() + 3).sum();
        long wire = entries.stream().mapToLong(e -> e.message().sizeBytes()).sum();
        assertThat(raw / (double) wire).as("compression ratio on the wire").isGreaterThan(2.5);
        assertThat(h.metrics.getEventsSent()).isEqualTo(3_000);
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    /** {@code length} printable ASCII characters, neither quote nor backslash: gzip + base64 makes them larger. */
    private static String noise(SecureRandom random, int length) {
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            char c = (char) (0x21 + random.nextInt(0x7f - 0x21));
            if (c != '"' && c != '\\') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void assertGzipPack(SqsSender.BatchEntry e) {
        assertThat(attributesOf(e)).containsEntry("Content-Type", "application/x-ndjson")
                .containsEntry("Content-Encoding", "gzip,base64");
        assertThat(e.message().body()).startsWith("H4sI");
    }

    @Test
    void incompressibleEventsAreStillGzipPacksWithinTheLimit() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "compression", "gzip", "maxPackBytes", "4096"));
        SecureRandom random = new SecureRandom();
        List<String> logged = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String line = noise(random, 200);
            logged.add(line);
            h.log(line);
        }
        drain(h);
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.message().sizeBytes()).isLessThanOrEqualTo(4096);
            assertGzipPack(e);
            // Larger than its records: gzip did not help, the consumer still gets what it was promised.
            long records = decode(e).stream().mapToLong(r -> r.length() + 3).sum() - 1;
            assertThat((long) e.message().bodyBytes()).isGreaterThan(records);
        });
        assertThat(decodeAll(h.sender)).isEqualTo(logged);
        assertThat(h.metrics.getBufferedBytes()).isZero();
        assertThat(h.metrics.getEventsSent()).isEqualTo(200);
    }

    @Test
    void largeIncompressibleEventsWhoseGzipBodyWouldPassTheirBufferBytesGoAloneInOrder() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "compression", "gzip", "maxPackBytes", "65536"));
        SecureRandom random = new SecureRandom();
        List<String> logged = new ArrayList<>();
        logged.add("small-before");
        for (int i = 0; i < 5; i++) {
            logged.add(noise(random, 4_000)); // gzip + base64: about 4,500 bytes, against about 4,100 held
        }
        logged.forEach(h::log);
        drain(h);
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(decodeAll(h.sender)).isEqualTo(logged);
        assertThat(entries).filteredOn(e -> e.message().body().length() >= 4_000).hasSize(5)
                .allSatisfy(e -> assertThat(attributesOf(e)).as("ordinary messages").doesNotContainKeys("Content-Type", "EventCount"));
        assertThat(entries).filteredOn(e -> attributesOf(e).containsKey("Content-Type")).allSatisfy(PackingTest::assertGzipPack);
        assertThat(h.metrics.getEventsSent()).isEqualTo(6);
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void withGzipOneShortEventIsAGzipPackThoughGzipMakesItLarger() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "compression", "gzip"));
        h.log("a");
        drain(h);
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).hasSize(1);
        assertGzipPack(entries.get(0));
        assertThat(attributesOf(entries.get(0))).containsEntry("EventCount", "1");
        assertThat(decodeAll(h.sender)).containsExactly("a");
    }

    @Test
    void withGzipARecordThatFitsAsItIsButNotGzippedGoesAloneInOrder() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "compression", "gzip", "maxPackBytes", "4096"));
        SecureRandom random = new SecureRandom();
        String big = noise(random, 3_900); // its record fits 4,096 bytes as it is; gzip'ed and base64'ed, over 5,000
        List<String> logged = List.of("before-1", "before-2", big, "after-1", "after-2");
        logged.forEach(h::log);
        drain(h);
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(decodeAll(h.sender)).isEqualTo(logged);
        SqsSender.BatchEntry alone = entries.stream().filter(e -> e.message().body().equals(big)).findFirst().orElseThrow();
        assertThat(attributesOf(alone)).as("an ordinary message, not a pack").doesNotContainKeys("Content-Type", "EventCount");
        assertThat(entries).filteredOn(e -> e != alone).isNotEmpty().allSatisfy(PackingTest::assertGzipPack);
        assertThat(entries).allSatisfy(e -> assertThat(e.message().sizeBytes()).isLessThanOrEqualTo(4096));
        assertThat(h.metrics.getEventsSent()).isEqualTo(5);
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void aRetriedPackIsAccountedPerEventAndAPartialBatchFailureRetriesOnlyItsPack() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "maxPackBytes", "1024"));
        h.sender.thenFailRequest(SendFailure.throttled("ThrottlingException", "slow down"))
                .thenFailEntries(false, "InternalError", 1);
        h.logMany("event-with-some-padding-", 60);
        h.ticker.advanceMillis(200);
        steps(h); // the first request is throttled: every pack waits for the pause
        assertThat(h.sender.batches()).hasSize(1);
        int packs = h.sender.batches().get(0).size();
        assertThat(packs).isGreaterThan(1);
        h.ticker.advanceMillis(100);
        steps(h); // the second: entry 1 fails alone
        assertThat(h.sender.batches()).hasSize(2);
        SqsSender.BatchEntry failed = h.sender.batches().get(1).get(1);
        int failedEvents = decode(failed).size();
        assertThat(h.metrics.getEventsSent()).isEqualTo(60 - failedEvents);
        h.ticker.advanceMillis(200); // its second attempt failed: the entry backoff is 200 ms
        steps(h);
        assertThat(h.sender.batches()).hasSize(3);
        assertThat(h.sender.batches().get(2)).hasSize(1);
        assertThat(h.sender.batches().get(2).get(0).message().body()).isEqualTo(failed.message().body());
        assertThat(h.metrics.getEventsSent()).isEqualTo(60);
        assertThat(h.metrics.getMessagesSent()).isEqualTo(packs);
        assertThat(h.metrics.getEventsRetried()).isEqualTo(60 + failedEvents);
        assertThat(h.metrics.getBufferedEvents()).isZero();
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void onFifoAPackHoldsOneGroupInLogOrderWithItsOwnDeduplicationId() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson",
                "queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/test.fifo"));
        for (int i = 0; i < 30; i++) {
            h.logInGroup("g" + (i % 3), "g" + (i % 3) + "-" + i);
        }
        h.ticker.advanceMillis(200);
        drain(h);
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).hasSize(3);
        for (SqsSender.BatchEntry e : entries) {
            List<String> events = decode(e);
            assertThat(events).allSatisfy(ev -> assertThat(ev).startsWith(e.message().groupId() + "-"));
            assertThat(events).isSortedAccordingTo((a, b) -> Integer.compare(
                    Integer.parseInt(a.substring(a.indexOf('-') + 1)), Integer.parseInt(b.substring(b.indexOf('-') + 1))));
        }
        assertThat(entries).extracting(e -> e.message().deduplicationId()).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void anOversizeEventAfterAPartialPackIsTruncatedAloneAndBothArrive() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson"));
        h.logMany("e", 5);
        h.log("x".repeat(2 * 1024 * 1024));
        drain(h);
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).hasSize(2);
        assertThat(decode(entries.get(0))).containsExactly("e0", "e1", "e2", "e3", "e4");
        assertThat(entries.get(1).message().body()).startsWith("xxx");
        assertThat(h.metrics.getEventsTruncated()).isEqualTo(1);
        assertThat(entries.get(1).message().sizeBytes()).isLessThanOrEqualTo(262_144);
        assertThat(h.metrics.getEventsSent()).isEqualTo(6);
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void gzipPacksAreCompressedOffTheDispatcherAndMessagesLeaveInTheOrderTheirPacksClosed() {
        java.util.ArrayDeque<Runnable> jobs = new java.util.ArrayDeque<>();
        DispatcherHarness h = new DispatcherHarness(Map.of("queueUrl", "https://sqs.us-east-1.amazonaws.com/1/q.fifo",
                "packing", "ndjson", "compression", "gzip", "maxPackBytes", "4096"), jobs::add);
        List<String> packed = List.of("a " + "z".repeat(100), "b " + "z".repeat(100), "c " + "z".repeat(100));
        packed.forEach(line -> h.logInGroup("g", line));
        CompletableFuture<Boolean> flush = h.dispatcher.intake().requestFlush();
        h.step();
        assertThat(jobs).as("the closed pack waits for the pack thread").hasSize(1);
        h.logInGroup("g", "too large for a pack " + "x".repeat(5_000)); // goes on its own, truncated
        steps(h);
        assertThat(h.sender.batches()).as("nothing overtakes the pack being written").isEmpty();
        assertThat(h.metrics.getBufferedEvents()).isEqualTo(4);

        jobs.poll().run();
        drain(h); // the large event waits for its own linger
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).hasSize(2);
        assertThat(attributesOf(entries.get(0))).containsEntry("Content-Encoding", "gzip,base64");
        assertThat(decode(entries.get(0))).isEqualTo(packed);
        assertThat(entries.get(1).message().body()).startsWith("too large for a pack xxx");
        assertThat(flush).isCompletedWithValue(true);
        assertThat(h.metrics.getEventsSent()).isEqualTo(4);
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void aPlainPackWhoseBodyTakesTwoBytesPerCharIsChargedSo() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson"));
        h.sender.hold(true);
        for (int i = 0; i < 40; i++) {
            h.log("ascii line " + i + " " + "x".repeat(100));
        }
        h.log("one line beyond Latin-1: \u20ac");
        h.dispatcher.intake().requestFlush();
        steps(h);
        assertThat(h.sender.heldCount()).as("the pack is on its way").isEqualTo(1);
        String body = h.sender.batches().get(0).get(0).message().body();
        assertThat(h.metrics.getBufferedBytes()).as("the body's String, two bytes per char, is held")
                .isGreaterThanOrEqualTo(2L * body.length());
        h.sender.hold(false);
        h.sender.releaseAll();
        drain(h);
        assertThat(h.metrics.getEventsSent()).isEqualTo(41);
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void plainPacksAreWrittenOffTheDispatcherToo() {
        java.util.ArrayDeque<Runnable> jobs = new java.util.ArrayDeque<>();
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson"), jobs::add);
        List<String> packed = List.of("a \"quoted\"", "b\tc", "d é");
        packed.forEach(h::log);
        CompletableFuture<Boolean> flush = h.dispatcher.intake().requestFlush();
        steps(h);
        assertThat(jobs).as("the closed pack waits for the pack thread").hasSize(1);
        assertThat(h.sender.batches()).isEmpty();
        jobs.poll().run();
        drain(h);
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).hasSize(1);
        assertThat(attributesOf(entries.get(0))).doesNotContainKey("Content-Encoding").containsEntry("EventCount", "3");
        assertThat(decode(entries.get(0))).isEqualTo(packed);
        assertThat(flush).isCompletedWithValue(true);
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void aPackStillCompressingAtTheStopDeadlineIsCountedAsShutdown() {
        java.util.ArrayDeque<Runnable> jobs = new java.util.ArrayDeque<>();
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "compression", "gzip"), jobs::add);
        h.logMany("e", 3);
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(1));
        h.step();
        assertThat(jobs).hasSize(1);
        assertThat(h.dispatcher.isFinished()).as("a stop waits for the pack being written").isFalse();
        h.ticker.advanceMillis(1_001);
        h.step();
        assertThat(h.dispatcher.isFinished()).isTrue();
        jobs.poll().run(); // finishing late changes nothing
        h.step();
        assertThat(h.sender.batches()).isEmpty();
        assertThat(h.metrics.getEventsDropped()).isEqualTo(3);
        assertThat(h.metrics.getEventsAppended()).isEqualTo(h.metrics.getEventsSent() + h.metrics.getEventsDropped());
        assertThat(h.metrics.getBufferedEvents()).isZero();
    }

    @Test
    void underPressureAPartialPackFillsWhileTwoMessagesAreOnTheirWay() {
        // bufferCapacity 100: above half of it the buffer is under pressure
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "lingerMs", "600000", "bufferCapacity", "100"));
        h.sender.hold(true); // requests stay on their way until released
        h.logMany("a", 51);
        h.step();
        assertThat(h.sender.heldCount()).as("nothing on its way: the partial pack goes at once").isEqualTo(1);
        h.logMany("b", 5);
        h.step();
        assertThat(h.sender.heldCount()).as("one on its way: still at once").isEqualTo(2);
        h.logMany("c", 5);
        h.step();
        h.step();
        assertThat(h.sender.heldCount()).as("two on their way: the pack fills").isEqualTo(2);
        assertThat(h.sender.batches()).hasSize(2);
        h.sender.hold(false);
        h.sender.releaseAll();
        h.step();
        assertThat(h.metrics.getEventsSent()).isEqualTo(56);
        assertThat(h.sender.batches()).as("no pressure any more (5 held): the pack waits for its linger").hasSize(2);
        h.ticker.advanceMillis(600_000);
        h.step();
        assertThat(h.sender.batches()).hasSize(3);
        h.step(); // its outcome
        assertThat(h.metrics.getEventsSent()).isEqualTo(61);
        assertThat(decodeAll(h.sender).subList(56, 61)).containsExactly("c0", "c1", "c2", "c3", "c4");
    }

    /** Four full packs of three 1,000-byte lines and an open one, their jobs queued for the test to run. */
    private static DispatcherHarness fourPacksBeingWritten(java.util.ArrayDeque<Runnable> jobs) {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "maxPackBytes", "4096",
                "lingerMs", "600000"), jobs::add);
        h.sender.hold(true); // requests stay on their way until released
        for (int i = 0; i < 13; i++) {
            h.log(i + " " + "x".repeat(1_000));
        }
        h.step();
        assertThat(jobs).as("four full packs closed, the fifth open").hasSize(4);
        jobs.poll().run();
        h.step();
        jobs.poll().run();
        h.step();
        assertThat(h.sender.heldCount()).as("fewer than two on their way: a pack goes alone, at once").isEqualTo(2);
        return h;
    }

    /** The third pack written while two requests are on their way: its batch waits; returns the park. */
    private static long thirdPackHeld(DispatcherHarness h, java.util.ArrayDeque<Runnable> jobs) {
        jobs.poll().run();
        long park = h.step();
        assertThat(h.sender.heldCount()).as("the third pack waits for the fourth").isEqualTo(2);
        return park;
    }

    @Test
    void withTwoRequestsOnTheirWayABatchWaitsForThePackBeingWrittenSoABurstTakesFewRequests() {
        java.util.ArrayDeque<Runnable> jobs = new java.util.ArrayDeque<>();
        DispatcherHarness h = fourPacksBeingWritten(jobs);
        long park = thirdPackHeld(h, jobs);
        assertThat(park).as("parked (until the job wakes it or the open pack's linger ends), not spinning on the batch's linger").isGreaterThan(TimeUnit.SECONDS.toNanos(1));
        jobs.poll().run();
        h.step();
        assertThat(h.sender.heldCount()).isEqualTo(3);
        assertThat(h.sender.batches().get(2)).as("one request for both").hasSize(2);
        h.sender.hold(false);
        h.sender.releaseAll();
        h.dispatcher.intake().requestFlush();
        steps(h);
        jobs.poll().run();
        steps(h);
        assertThat(h.metrics.getEventsSent()).isEqualTo(13);
        assertThat(decodeAll(h.sender)).extracting(line -> line.substring(0, line.indexOf(' ')))
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void aFlushDoesNotWaitForThePackBeingWritten() {
        java.util.ArrayDeque<Runnable> jobs = new java.util.ArrayDeque<>();
        DispatcherHarness h = fourPacksBeingWritten(jobs);
        thirdPackHeld(h, jobs);
        CompletableFuture<Boolean> flush = h.dispatcher.intake().requestFlush();
        h.step();
        assertThat(h.sender.heldCount()).as("the third pack goes at once").isEqualTo(3);
        assertThat(h.sender.batches().get(2)).hasSize(1);
        h.sender.hold(false);
        h.sender.releaseAll();
        while (!jobs.isEmpty()) {
            jobs.poll().run();
            steps(h);
        }
        assertThat(flush).isCompletedWithValue(true);
        assertThat(h.metrics.getEventsSent()).isEqualTo(13);
    }

    @Test
    void aStopDoesNotWaitForThePackBeingWritten() {
        java.util.ArrayDeque<Runnable> jobs = new java.util.ArrayDeque<>();
        DispatcherHarness h = fourPacksBeingWritten(jobs);
        thirdPackHeld(h, jobs);
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10));
        h.step();
        assertThat(h.sender.heldCount()).as("the third pack goes at once").isEqualTo(3);
        assertThat(h.sender.batches().get(2)).hasSize(1);
        h.sender.hold(false);
        h.sender.releaseAll();
        for (int i = 0; i < 10 && !h.dispatcher.isFinished(); i++) {
            while (!jobs.isEmpty()) {
                jobs.poll().run();
            }
            steps(h);
        }
        assertThat(h.dispatcher.isFinished()).isTrue();
        assertThat(h.metrics.getEventsSent()).isEqualTo(13);
        assertThat(h.metrics.getEventsAppended()).isEqualTo(h.metrics.getEventsSent() + h.metrics.getEventsDropped());
    }
}
