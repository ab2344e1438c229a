package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.port.S3Put;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.text.MessageAttribute;
import io.github.sqsappender.core.testing.InMemoryS3Store;
import io.github.sqsappender.core.testing.InMemorySqsSender;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 offload stage and the S3 fallback, on a manual clock with the in-memory sender and store:
 * what is written where, when, and how every event is accounted for.
 */
class S3StagesTest {

    private static final Pattern POINTER = Pattern.compile(
            "\\[\"software\\.amazon\\.payloadoffloading\\.PayloadS3Pointer\",\\{\"s3BucketName\":\"logs-bucket\","
                    + "\"s3Key\":\"(sqs-appender/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\"}]");
    private static final Pattern FALLBACK_KEY = Pattern.compile(
            "logs-bucket/sqs-appender/fallback/dt=2023-11-14/hr=22/host-1-1700000000000-[0-9a-f-]{36}\\.ndjson\\.gz");

    private final InMemoryS3Store s3 = new InMemoryS3Store();

    private DispatcherHarness harness(Map<String, String> attributes) {
        return harness(attributes, new InMemorySqsSender());
    }

    private DispatcherHarness harness(Map<String, String> attributes, InMemorySqsSender sender) {
        Map<String, String> all = new HashMap<>(Map.of("s3Bucket", "logs-bucket", "maxMessageBytes", "1024"));
        all.putAll(attributes);
        return new DispatcherHarness(all, sender, s3);
    }

    private static void assertExact(DispatcherHarness h) {
        assertThat(h.metrics.getEventsSent() + h.metrics.getEventsSentToFallback() + h.metrics.getEventsDropped())
                .as("appended == sent + sent to fallback + dropped").isEqualTo(h.metrics.getEventsAppended());
    }

    // ------------------------------------------------------------------ offload

    @Test
    void aLargeEventIsWrittenToS3AndSentAsTheExtendedClientPointerKeepingItsRoomUntilAcknowledged() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3"));
        String big = "é".repeat(1500) + " end"; // 3,004 UTF-8 bytes, over the 1,024-byte limit
        h.log("small-1");
        h.log(big);
        assertThat(s3.puts()).as("nothing is written on the caller's thread").isZero();
        h.sender.hold(true);
        h.ticker.advanceMillis(200);
        h.step();
        h.step();

        assertThat(s3.objects()).hasSize(1);
        String stored = s3.objects().keySet().iterator().next();
        assertThat(s3.text(stored)).isEqualTo(big);
        assertThat(s3.objects().get(stored).contentType()).isEqualTo("text/plain; charset=utf-8");
        List<SqsSender.BatchEntry> entries = h.sender.batches().stream().flatMap(List::stream).toList();
        assertThat(entries).extracting(e -> e.message().body()).contains("small-1");
        WireMessage pointer = entries.stream().map(SqsSender.BatchEntry::message)
                .filter(m -> m.body().startsWith("[")).findFirst().orElseThrow();
        var matcher = POINTER.matcher(pointer.body());
        assertThat(matcher.matches()).as(pointer.body()).isTrue();
        assertThat("logs-bucket/" + matcher.group(1)).isEqualTo(stored);
        assertThat(pointer.attributes()).containsExactly(new MessageAttribute("ExtendedPayloadSize", "Number", "3004"));
        assertThat(h.metrics.getBufferedBytes()).as("room kept while the pointer is in flight").isGreaterThanOrEqualTo(3004);

        h.sender.releaseAll();
        h.step();
        assertThat(h.metrics.getEventsSent()).isEqualTo(2);
        assertThat(h.metrics.getEventsOffloaded()).isEqualTo(1);
        assertThat(h.metrics.getEventsTruncated()).isZero();
        assertThat(h.metrics.getBufferedBytes()).isZero();
        assertExact(h);
    }

    @Test
    void withPackingAnEventTooLargeForAPackIsOffloadedAndTheRestIsPacked() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3", "packing", "ndjson", "maxPackBytes", "1024"));
        h.logMany("line-", 5);
        h.log("x".repeat(5_000));
        h.ticker.advanceMillis(200);
        for (int i = 0; i < 4; i++) {
            h.step();
        }
        assertThat(s3.objects()).hasSize(1);
        assertThat(s3.text(s3.objects().keySet().iterator().next())).isEqualTo("x".repeat(5_000));
        assertThat(h.sender.delivered()).anySatisfy(b -> assertThat(b).matches(POINTER))
                .anySatisfy(b -> assertThat(b).startsWith("\"line-0\"\n\"line-1\""));
        assertThat(h.metrics.getEventsSent()).isEqualTo(6);
        assertThat(h.metrics.getEventsOffloaded()).isEqualTo(1);
        assertExact(h);
    }

    @Test
    void withPackingAnEventTooLargeForAPackButWithinMaxMessageBytesGoesAloneUntouchedNotToS3() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3", "packing", "ndjson", "maxPackBytes", "1024",
                "maxMessageBytes", "8192"));
        h.logMany("line-", 3);
        h.log("m".repeat(2_000)); // over a pack, within maxMessageBytes
        h.log("x".repeat(10_000)); // over maxMessageBytes
        h.ticker.advanceMillis(200);
        for (int i = 0; i < 4; i++) {
            h.step();
        }
        assertThat(s3.objects()).hasSize(1);
        assertThat(s3.text(s3.objects().keySet().iterator().next())).isEqualTo("x".repeat(10_000));
        assertThat(h.sender.delivered()).contains("m".repeat(2_000))
                .anySatisfy(b -> assertThat(b).matches(POINTER));
        assertThat(h.metrics.getEventsSent()).isEqualTo(5);
        assertThat(h.metrics.getEventsOffloaded()).isEqualTo(1);
        assertExact(h);
    }

    @Test
    void atMostFourUploadsRunAtOnceAndTheRestWaitInLogOrder() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3"));
        s3.hold(true);
        for (int i = 0; i < 10; i++) {
            h.log(i + "-" + "b".repeat(2_000));
        }
        h.step();
        h.step();
        assertThat(s3.heldCount()).isEqualTo(Offloader.MAX_CONCURRENT_UPLOADS);
        assertThat(h.metrics.getBufferedEvents()).isEqualTo(10);
        for (int i = 0; i < 5 && h.metrics.getEventsSent() < 10; i++) {
            s3.releaseAll();
            h.step();
            h.step();
        }
        assertThat(s3.objects().values()).extracting(put -> new String(put.body(), java.nio.charset.StandardCharsets.UTF_8)
                .substring(0, 2)).containsExactly("0-", "1-", "2-", "3-", "4-", "5-", "6-", "7-", "8-", "9-");
        assertThat(h.metrics.getEventsOffloaded()).isEqualTo(10);
        assertExact(h);
    }

    @Test
    void aFailedUploadIsRetriedUnderTheSameKeyWithBackoffAndThenDelivered() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3"));
        s3.thenFail(SendFailure.retryable("InternalError", "S3 is unwell"), 2);
        h.log("y".repeat(2_000));
        h.step();
        assertThat(s3.puts()).isEqualTo(1);
        h.step();
        assertThat(s3.puts()).as("no retry before the backoff").isEqualTo(1);
        for (int i = 0; i < 10 && h.metrics.getEventsSent() == 0; i++) {
            h.ticker.advanceMillis(1_000);
            h.step();
            h.step();
        }
        assertThat(s3.puts()).isEqualTo(3);
        assertThat(s3.objects()).hasSize(1);
        assertThat(h.metrics.getEventsOffloaded()).isEqualTo(1);
        assertThat(h.status.warnings).anySatisfy(w -> assertThat(w).contains("s3://logs-bucket/sqs-appender/")
                .contains("retrying"));
        assertExact(h);
    }

    @Test
    void anUploadThatKeepsFailingPastTheDeliveryTimeoutIsUndeliverable() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3", "deliveryTimeoutMs", "5000"));
        s3.always(SendFailure.retryable("ServiceUnavailable", "down"));
        h.log("z".repeat(2_000));
        for (int i = 0; i < 40 && h.metrics.getEventsDropped() == 0; i++) {
            h.step();
            h.ticker.advanceMillis(500);
        }
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(1);
        assertThat(h.metrics.getEventsOffloaded()).isZero();
        assertThat(h.metrics.getBufferedEvents()).isZero();
        assertThat(h.status.errors).anySatisfy(e -> assertThat(e).contains("s3://logs-bucket/"));
        assertExact(h);
    }

    @Test
    void theUploadAndThePointersSendsShareOneDeliveryTimeout() {
        InMemorySqsSender sender = new InMemorySqsSender();
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3", "deliveryTimeoutMs", "5000"), sender);
        s3.always(SendFailure.retryable("ServiceUnavailable", "slow down")); // S3 is unwell for the first 2.5 s
        for (int i = 0; i < 50; i++) { // and SQS fails every request the pointer takes
            sender.thenFailRequest(SendFailure.retryable("InternalError", "unwell"));
        }
        h.log("z".repeat(2_000));
        long start = h.ticker.read();
        long givenUpAt = -1;
        for (int i = 0; i < 200 && givenUpAt < 0; i++) {
            if (h.ticker.read() - start >= TimeUnit.MILLISECONDS.toNanos(2_500)) {
                s3.always(null);
            }
            h.step();
            h.step();
            if (h.metrics.getEventsDropped() > 0) {
                givenUpAt = h.ticker.read();
            }
            h.ticker.advanceMillis(100);
        }
        assertThat(s3.objects()).as("the body reached S3 after its retries").hasSize(1);
        assertThat(sender.batches()).as("the pointer was sent").isNotEmpty();
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(1);
        // Before: the pointer's sends got a deliveryTimeoutMs of their own after the upload's 3 s or so.
        assertThat(TimeUnit.NANOSECONDS.toMillis(givenUpAt - start)).as("given up within one deliveryTimeoutMs")
                .isLessThanOrEqualTo(5_100L);
        assertExact(h);
    }

    @Test
    void anUploadS3RefusesIsGivenUpAtOnce() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3"));
        s3.always(SendFailure.permanent("NoSuchBucket", "The specified bucket does not exist"));
        h.log("z".repeat(2_000));
        h.step();
        h.step();
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(1);
        assertThat(h.metrics.getLastError()).contains("NoSuchBucket");
        assertExact(h);
    }

    @Test
    void onAFifoQueueEventsAfterAnOffloadedOneWaitForItsPointerSoTheGroupKeepsItsOrder() {
        InMemorySqsSender sender = new InMemorySqsSender("https://sqs.us-east-1.amazonaws.com/123456789012/t.fifo", 262_144);
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3", "lingerMs", "0",
                "queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/t.fifo"), sender);
        s3.hold(true);
        h.logInGroup("g", "first");
        h.logInGroup("g", "g".repeat(2_000));
        h.logInGroup("g", "third");
        for (int i = 0; i < 3; i++) {
            h.step();
        }
        assertThat(sender.delivered()).as(sender.batches().toString()).containsExactly("first");
        assertThat(s3.heldCount()).isEqualTo(1);
        s3.releaseAll();
        for (int i = 0; i < 4; i++) {
            h.step();
        }
        assertThat(sender.delivered()).hasSize(3);
        assertThat(sender.delivered().get(0)).isEqualTo("first");
        assertThat(sender.delivered().get(1)).matches(POINTER);
        assertThat(sender.delivered().get(2)).isEqualTo("third");
        assertExact(h);
    }

    // ------------------------------------------------------------------ fallback

    @Test
    void anEntrySqsRejectsGoesToTheFallbackAsARecordUnderTheTimePartitionedKey() {
        DispatcherHarness h = harness(Map.of("fallback", "s3"));
        h.sender.thenFailEntries(true, "InvalidParameterValue", 1);
        h.log("ok-0");
        h.log("rejected \"quoted\" line");
        h.log("ok-2");
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        assertThat(h.metrics.getEventsSent()).isEqualTo(2);
        assertThat(s3.objects()).as("the object collects until it is old enough").isEmpty();
        h.ticker.advanceMillis(60_000);
        h.step(); // closes the object and starts its write
        h.step(); // settles the write

        assertThat(s3.objects()).hasSize(1);
        var entry = s3.objects().entrySet().iterator().next();
        assertThat(entry.getKey()).matches(FALLBACK_KEY);
        assertThat(entry.getValue().contentType()).isEqualTo("application/x-ndjson");
        assertThat(entry.getValue().contentEncoding()).isEqualTo("gzip");
        assertThat(InMemoryS3Store.gunzip(entry.getValue().body())).isEqualTo("\"rejected \\\"quoted\\\" line\"\n");
        assertThat(h.metrics.getEventsSentToFallback()).isEqualTo(1);
        assertThat(h.metrics.getEventsDropped()).isZero();
        assertExact(h);
    }

    @Test
    void aPermanentRequestFailureSendsTheWholeBatchAndAFlushClosesTheObjectAtOnce() {
        DispatcherHarness h = harness(Map.of("fallback", "s3"));
        h.sender.thenFailRequest(SendFailure.permanent("AccessDenied", "not allowed"));
        h.logMany("e", 3);
        var flush = h.dispatcher.intake().requestFlush();
        for (int i = 0; i < 3; i++) {
            h.step();
        }
        assertThat(s3.gunzippedLines()).containsExactly("\"e0\"", "\"e1\"", "\"e2\"");
        assertThat(h.metrics.getEventsSentToFallback()).isEqualTo(3);
        assertThat(flush).as("written to S3, but not delivered to the queue").isCompletedWithValue(false);
        assertExact(h);
    }

    @Test
    void eventsStillFailingAtTheirDeliveryTimeoutGoToTheFallbackAndPacksKeepTheirRecords() {
        DispatcherHarness h = harness(Map.of("fallback", "s3", "packing", "ndjson", "compression", "gzip",
                "maxPackBytes", "1024", "deliveryTimeoutMs", "3000"));
        h.sender.thenAnswer(e -> SendFailure.retryable("HTTP503", "down")).thenAnswer(e -> SendFailure.retryable("HTTP503", "down"))
                .thenAnswer(e -> SendFailure.retryable("HTTP503", "down")).thenAnswer(e -> SendFailure.retryable("HTTP503", "down"))
                .thenAnswer(e -> SendFailure.retryable("HTTP503", "down")).thenAnswer(e -> SendFailure.retryable("HTTP503", "down"));
        h.log("a\u2028b");
        h.log("two");
        for (int i = 0; i < 40 && h.metrics.getEventsSentToFallback() == 0; i++) {
            h.ticker.advanceMillis(500);
            h.step();
            if (i > 20) {
                h.ticker.advanceMillis(60_000);
            }
        }
        assertThat(s3.gunzippedLines()).containsExactly("\"a\\u2028b\"", "\"two\"");
        assertThat(h.metrics.getEventsSentToFallback()).isEqualTo(2);
        assertExact(h);
    }

    @Test
    void manyUndeliverableEventsShareOneObject() {
        DispatcherHarness h = harness(Map.of("fallback", "s3"));
        for (int i = 0; i < 10; i++) {
            h.sender.thenFailRequest(SendFailure.permanent("QueueDoesNotExist", "gone"));
        }
        h.logMany("line-", 100);
        for (int i = 0; i < 12; i++) {
            h.ticker.advanceMillis(200);
            h.step();
        }
        assertThat(s3.objects()).isEmpty();
        h.ticker.advanceMillis(60_000);
        h.step();
        h.step();
        assertThat(s3.objects()).hasSize(1);
        assertThat(s3.gunzippedLines()).hasSize(100).startsWith("\"line-0\"").endsWith("\"line-99\"");
        assertExact(h);
    }

    @Test
    void noFallbackObjectHoldsMoreRecordsOrTextThanReadersAccept() {
        // A buffer raised far past its default, full of one-character events that cannot be sent:
        // by the object's byte bound alone (8 MiB) all 700,000 records would share one object.
        DispatcherHarness h = harness(Map.of("fallback", "s3", "packing", "ndjson", "maxMessageBytes", "1048576",
                "maxPackBytes", "1048576", "maxBufferBytes", "268435456"));
        for (int i = 0; i < 20; i++) {
            h.sender.thenFailRequest(SendFailure.permanent("QueueDoesNotExist", "gone"));
        }
        int events = 700_000;
        for (int i = 0; i < events; i++) {
            h.log(i % 2 == 0 ? "x" : "y");
        }
        for (int i = 0; i < 40; i++) {
            h.ticker.advanceMillis(2_000);
            h.step();
        }
        h.ticker.advanceMillis(60_000);
        h.step();
        h.step();

        assertThat(s3.objects()).hasSizeGreaterThan(1);
        long records = 0;
        for (Map.Entry<String, io.github.sqsappender.core.port.S3Put> object : s3.objects().entrySet()) {
            records += io.github.sqsappender.reader.LogMessageReader.fallbackObject(object.getKey(), object.getValue().body()).size();
        }
        assertThat(records).isEqualTo(events); // every object within what the reader accepts
        assertThat(h.metrics.getEventsSentToFallback()).isEqualTo(events);
        assertExact(h);
    }

    @Test
    void whenS3FailsTooTheEventsAreCountedAsUndeliverableExactly() {
        DispatcherHarness h = harness(Map.of("fallback", "s3", "deliveryTimeoutMs", "5000"));
        s3.always(SendFailure.retryable("HTTP500", "S3 down too"));
        h.sender.thenFailEntries(true, "InvalidParameterValue", 0, 1, 2);
        h.logMany("e", 3);
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        h.ticker.advanceMillis(60_000);
        for (int i = 0; i < 30 && h.metrics.getEventsDropped() == 0; i++) {
            h.step();
            h.ticker.advanceMillis(1_000);
        }
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(3);
        assertThat(h.metrics.getEventsSentToFallback()).isZero();
        assertThat(s3.puts()).isGreaterThan(1);
        assertThat(h.status.errors).anySatisfy(e -> assertThat(e).contains("3 undeliverable events were not written to s3://logs-bucket/sqs-appender/fallback/"));
        assertThat(h.metrics.getBufferedEvents()).isZero();
        assertExact(h);
    }

    @Test
    void aStopDuringAnOutageCutsOverToTheFallbackWithItsShareOfTheShutdownTimeoutLeft() {
        DispatcherHarness h = harness(Map.of("fallback", "s3"));
        for (int i = 0; i < 50; i++) {
            h.sender.thenFailRequest(SendFailure.retryable("ConnectException", "refused"));
        }
        h.logMany("held-", 25);
        h.ticker.advanceMillis(200);
        h.step();
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10));
        h.ticker.advanceMillis(6_900);
        h.step();
        assertThat(s3.objects()).as("before the cut-over SQS still gets its chance").isEmpty();
        h.ticker.advanceMillis(100); // 7 s of 10: the last 30 % are the fallback's
        h.log("appended-during-the-stop");
        long result = h.step();
        if (result != Dispatcher.FINISHED) {
            result = h.step();
        }
        assertThat(result).isEqualTo(Dispatcher.FINISHED);
        assertThat(s3.gunzippedLines()).hasSize(26).contains("\"held-0\"", "\"held-24\"", "\"appended-during-the-stop\"");
        assertThat(h.metrics.getEventsSentToFallback()).isEqualTo(26);
        assertThat(h.metrics.getEventsDroppedShutdown()).isZero();
        assertExact(h);
    }

    @Test
    void whileTheQueueCannotBeFoundEventsOlderThanTheDeliveryTimeoutGoToTheFallback() {
        DispatcherHarness h = harness(Map.of("fallback", "s3", "deliveryTimeoutMs", "2000"));
        h.sender.resolveWith(SendFailure.permanent("QueueDoesNotExist", "no such queue"));
        h.log("early");
        h.step();
        h.ticker.advanceMillis(1_500);
        h.log("late");
        h.step();
        assertThat(h.metrics.getEventsSentToFallback() + h.metrics.getBufferedEvents()).isEqualTo(2);
        h.ticker.advanceMillis(600);
        h.step();
        h.ticker.advanceMillis(60_000);
        h.step();
        h.step();
        assertThat(s3.gunzippedLines()).containsExactly("\"early\"", "\"late\"");
        assertExact(h);
    }

    @Test
    void theStopDeadlineStillCountsWhatS3DidNotTakeInTime() {
        DispatcherHarness h = harness(Map.of("fallback", "s3"));
        s3.hold(true);
        h.sender.thenFailEntries(true, "InvalidParameterValue", 0);
        h.log("rejected");
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(1));
        h.step();
        assertThat(s3.heldCount()).isEqualTo(1);
        h.ticker.advanceMillis(1_000);
        assertThat(h.step()).isEqualTo(Dispatcher.FINISHED);
        assertThat(h.metrics.getEventsDroppedShutdown()).isEqualTo(1);
        assertExact(h);
    }

    // ------------------------------------------------------------------ found in review

    @Test
    void theCutOverHandsWaitingAndRunningUploadsToTheFallbackWithoutStartingAnother() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3", "fallback", "s3"));
        s3.thenFail(SendFailure.retryable("InternalError", "unwell"), 1);
        h.log("waiting-" + "w".repeat(2_000));
        h.step();
        h.step(); // the first upload failed; its retry waits
        assertThat(s3.puts()).isEqualTo(1);
        s3.hold(true);
        h.log("running-" + "r".repeat(2_000));
        h.step(); // the second starts and hangs
        int putsBefore = s3.puts();
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10));
        h.ticker.advanceMillis(7_000); // past the waiting upload's backoff, and at the cut-over
        h.step();
        assertThat(s3.puts() - putsBefore).as("only the fallback object's write starts").isEqualTo(1);
        s3.hold(false);
        s3.releaseAll();
        for (int i = 0; i < 3 && h.step() != Dispatcher.FINISHED; i++) {
            h.ticker.advanceMillis(10);
        }
        assertThat(s3.gunzippedLines()).hasSize(2).anySatisfy(l -> assertThat(l).startsWith("\"waiting-"))
                .anySatisfy(l -> assertThat(l).startsWith("\"running-"));
        assertThat(h.metrics.getEventsSentToFallback()).isEqualTo(2);
        assertThat(h.metrics.getEventsDroppedShutdown()).isZero();
        assertExact(h);
    }

    @Test
    void anEventTooLargeForTheQueueLoggedDuringTheCutOverGoesToTheFallbackNotIntoANewUpload() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3", "fallback", "s3"));
        h.sender.hold(true); // SQS does not answer: the stop will cut over
        h.log("small");
        h.ticker.advanceMillis(200);
        h.step(); // in flight, unanswered: the stop cannot finish before its cut-over
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10));
        h.ticker.advanceMillis(7_000);
        h.step(); // the cut-over
        h.log("large-" + "x".repeat(2_000)); // logged during the stop, too large for the queue
        h.step();
        h.step();
        assertThat(s3.objects().keySet()).as("fallback objects only: no upload starts after the cut-over")
                .isNotEmpty().allSatisfy(key -> assertThat(key).matches(FALLBACK_KEY));
        assertThat(s3.gunzippedLines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("\"large-");
        h.sender.releaseAll();
        for (int i = 0; i < 3 && h.step() != Dispatcher.FINISHED; i++) {
            h.ticker.advanceMillis(10);
        }
        assertThat(h.metrics.getEventsSentToFallback()).isEqualTo(1);
        assertExact(h);
    }

    @Test
    void aFallbackObjectStoredJustBeforeTheStopDeadlineCountsAsSentToTheFallback() {
        DispatcherHarness h = harness(Map.of("fallback", "s3"));
        s3.hold(true);
        h.sender.thenFailEntries(true, "InvalidParameterValue", 0, 1, 2, 3, 4);
        h.logMany("e", 5);
        h.ticker.advanceMillis(200);
        h.step();
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(1));
        h.step();
        h.step();
        assertThat(s3.heldCount()).isEqualTo(1);
        s3.releaseAll(); // stored; the completion is still queued when the deadline comes
        h.ticker.advanceMillis(1_000);
        assertThat(h.step()).isEqualTo(Dispatcher.FINISHED);
        assertThat(s3.gunzippedLines()).hasSize(5);
        assertThat(h.metrics.getEventsSentToFallback()).isEqualTo(5);
        assertThat(h.metrics.getEventsDroppedShutdown()).isZero();
        assertExact(h);
    }

    @Test
    void aFlushLeftWaitingThroughAnOutageDoesNotWriteAnObjectPerEvent() {
        DispatcherHarness h = harness(Map.of("fallback", "s3"));
        h.sender.thenFailRequest(SendFailure.retryable("HTTP503", "down"));
        h.log("stuck-retrying");
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        h.dispatcher.intake().requestFlush(); // its caller gives up; the flush stays registered
        s3.hold(true);
        for (int i = 0; i < 50; i++) {
            h.sender.thenFailEntries(true, "InvalidParameterValue", 0);
            h.log("rejected-" + i);
            h.ticker.advanceMillis(200);
            h.step();
            h.step();
        }
        s3.releaseAll();
        h.step();
        h.ticker.advanceMillis(60_000);
        for (int i = 0; i < 4; i++) {
            h.step();
            s3.releaseAll();
        }
        long inS3 = s3.gunzippedLines().stream().filter(l -> l.startsWith("\"rejected-")).count();
        assertThat(inS3).as("most of the 50 were rejected (a retry of the stuck event may take a rejection)").isGreaterThan(40);
        assertThat(s3.objects().size()).as("objects for " + inS3 + " rejected events").isLessThanOrEqualTo(3);
        assertThat(inS3 + h.sender.delivered().stream().filter(b -> b.startsWith("rejected-")).count()).isEqualTo(50);
    }

    @Test
    void duringTheCutOverTheFirstNewEventWakesTheDispatcher() {
        DispatcherHarness h = harness(Map.of("fallback", "s3"));
        for (int i = 0; i < 10; i++) {
            h.sender.thenFailRequest(SendFailure.retryable("ConnectException", "refused"));
        }
        h.log("held");
        h.ticker.advanceMillis(200);
        h.step();
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10));
        h.ticker.advanceMillis(7_000);
        long wait = h.step();
        assertThat(wait).isNotEqualTo(Dispatcher.FINISHED).isPositive();
        assertThat(h.dispatcher.intake().wakeThreshold()).isEqualTo(1);
    }

    @Test
    void aStoreThatThrowsALinkageErrorFailsTheUploadAndFifoDeliveryGoesOn() {
        S3Store broken = new S3Store() {
            @Override
            public java.util.concurrent.CompletableFuture<Void> put(S3Put object) {
                throw new NoSuchMethodError("S3AsyncClient.putObject (an s3 module of another SDK version)");
            }

            @Override
            public void close() {
            }
        };
        InMemorySqsSender sender = new InMemorySqsSender("https://sqs.us-east-1.amazonaws.com/123456789012/t.fifo", 262_144);
        DispatcherHarness h = new DispatcherHarness(Map.of("s3Bucket", "logs-bucket", "maxMessageBytes", "1024",
                "largeMessagePolicy", "s3", "lingerMs", "0", "deliveryTimeoutMs", "1000",
                "queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/t.fifo"), sender, broken);
        MetricsRecorder metrics = h.metrics;
        for (String body : List.of("before", "b".repeat(2_000), "after")) {
            h.logInGroup("g", body);
        }
        for (int i = 0; i < 40 && metrics.getEventsSent() < 2; i++) {
            h.step();
            h.ticker.advanceMillis(200);
        }
        assertThat(sender.delivered()).containsExactly("before", "after");
        assertThat(metrics.getEventsDroppedUndeliverable()).isEqualTo(1);
        assertThat(metrics.getLastError()).contains("NoSuchMethodError");
    }

    @Test
    void anInfoEventTheBufferCouldNeverAdmitIsOversizeOnTheCallersThread() {
        DispatcherHarness h = harness(Map.of("largeMessagePolicy", "s3", "maxBufferBytes", "100000"));
        assertThat(h.log("i".repeat(95_000))).as("INFO may use 90% of maxBufferBytes").isFalse();
        assertThat(h.metrics.getEventsDroppedOversize()).isEqualTo(1);
        assertThat(h.log("w".repeat(95_000), true)).as("WARN may use all of it").isTrue();
        for (int i = 0; i < 4; i++) {
            h.step();
        }
        assertThat(h.metrics.getEventsOffloaded()).isEqualTo(1);
    }
}
