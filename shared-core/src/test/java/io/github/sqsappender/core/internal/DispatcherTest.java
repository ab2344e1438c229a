package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.text.Utf8;
import io.github.sqsappender.core.testing.InMemorySqsSender;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class DispatcherTest {

    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    @Test
    void sealsBatchAtMaxBatchSizeWithoutWaitingForLinger() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.logMany("e", 25);

        long wait = h.step();

        assertThat(h.sender.batchSizes()).containsExactly(10, 10);
        assertThat(wait).isEqualTo(LINGER_NANOS);
    }

    @Test
    void sendsPartialBatchOnlyWhenItsOldestEventHasWaitedLinger() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.logMany("e", 3);
        h.step();
        h.ticker.advanceMillis(150);
        h.log("late");
        h.step();
        assertThat(h.sender.batches()).isEmpty();

        h.ticker.advanceMillis(49);
        assertThat(h.step()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(h.sender.batches()).isEmpty();

        h.ticker.advanceMillis(1);
        h.step();
        assertThat(h.sender.batchSizes()).containsExactly(4);
        assertThat(InMemorySqsSender.bodies(h.sender.batches().get(0))).containsExactly("e0", "e1", "e2", "late");
    }

    @Test
    void respectsConfiguredMaxBatchSize() {
        DispatcherHarness h = new DispatcherHarness(Map.of("maxBatchSize", "3"));
        h.logMany("e", 7);
        h.step();
        assertThat(h.sender.batchSizes()).containsExactly(3, 3);
    }

    @Test
    void sealsBatchBeforeItWouldExceedOneMebibyte() {
        DispatcherHarness h = new DispatcherHarness(Map.of("maxMessageBytes", "1048576"),
                new InMemorySqsSender("https://sqs.us-east-1.amazonaws.com/1/q", 1_048_576));
        String big = "x".repeat(300_000);
        for (int i = 0; i < 7; i++) {
            h.log(big);
        }
        h.ticker.advanceMillis(200);
        h.step();

        assertThat(h.sender.batchSizes()).containsExactly(3, 3, 1);
        for (List<SqsSender.BatchEntry> batch : h.sender.batches()) {
            int bytes = batch.stream().mapToInt(e -> e.message().sizeBytes()).sum();
            assertThat(bytes).isLessThanOrEqualTo(Batch.MAX_BATCH_BYTES);
        }
    }

    @Test
    void batchEntryIdsAreUniqueAndValid() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.logMany("e", 10);
        h.step();
        List<String> ids = h.sender.batches().get(0).stream().map(SqsSender.BatchEntry::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[A-Za-z0-9_-]{1,80}"));
    }

    @Test
    void keepsAtMostMaxInFlightRequests() {
        DispatcherHarness h = new DispatcherHarness(Map.of("maxInFlight", "3"));
        h.sender.hold(true);
        h.logMany("e", 100);

        long wait = h.step();
        assertThat(h.sender.batches()).hasSize(3);
        assertThat(h.metrics.getRequestsInFlight()).isEqualTo(3);
        assertThat(wait).isEqualTo(Dispatcher.UNTIL_WOKEN);

        h.step();
        assertThat(h.sender.batches()).hasSize(3);

        h.sender.releaseAll();
        h.step();
        assertThat(h.sender.batches()).hasSize(6);
        assertThat(h.metrics.getEventsSent()).isEqualTo(30);
    }

    @Test
    void retriesOnlyEntriesWithoutSenderFault() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.thenAnswer(entries -> new SqsSender.BatchResult(List.of(
                new SqsSender.EntryFailure(entries.get(1).id(), false, "InternalError", "try again"),
                new SqsSender.EntryFailure(entries.get(3).id(), false, "InternalError", "try again"),
                new SqsSender.EntryFailure(entries.get(5).id(), true, "InvalidParameterValue", "bad"))));
        h.logMany("e", 10);
        h.step();
        h.step(); // processes the response

        assertThat(h.metrics.getEventsSent()).isEqualTo(7);
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(1);
        assertThat(h.metrics.getEventsRetried()).isEqualTo(2);
        assertThat(h.status.errors).anySatisfy(e -> assertThat(e).contains("InvalidParameterValue"));

        h.ticker.advanceMillis(100); // first retry waits at most the 100 ms base
        h.step();
        assertThat(h.sender.batches()).hasSize(2);
        assertThat(InMemorySqsSender.bodies(h.sender.batches().get(1))).containsExactly("e1", "e3");
        h.step();
        assertThat(h.metrics.getEventsSent()).isEqualTo(9);
        assertThat(h.sender.delivered()).doesNotContain("e5");
    }

    @Test
    void throttledRequestPausesAllSendsWithExponentialBackoffThenDelivers() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.thenFailRequest(SendFailure.throttled("ThrottlingException", "slow down"))
                .thenFailRequest(SendFailure.throttled("ThrottlingException", "slow down"));
        h.logMany("e", 10);
        h.step();
        long firstPause = h.step();
        assertThat(h.metrics.getRequestsThrottled()).isEqualTo(1);
        assertThat(firstPause).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));

        h.logMany("f", 10); // new events must wait for the pause too
        h.step();
        assertThat(h.sender.batches()).hasSize(1);

        h.ticker.advanceMillis(100);
        h.step(); // resend e0..e9: throttled again
        long secondPause = h.step();
        assertThat(secondPause).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));

        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        assertThat(h.metrics.getEventsSent()).isEqualTo(20);
        assertThat(h.sender.delivered()).hasSize(20);
    }

    @Test
    void concurrentFailuresFromOneOutageRaiseTheBackoffOnlyOnce() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        for (int i = 0; i < 8; i++) {
            h.sender.thenFailRequest(SendFailure.retryable("ConnectException", "refused"));
        }
        h.sender.hold(true);
        h.logMany("e", 80);
        h.step(); // 8 requests in flight
        assertThat(h.sender.batches()).hasSize(8);
        h.ticker.advanceMillis(5); // they take a while
        h.sender.releaseAll(); // all 8 fail together
        long pause = h.step();
        assertThat(pause).as("first level: 100 ms, not level 8 (12.8 s)").isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void givesUpAfterDeliveryTimeoutAndBackoffStaysBounded() {
        DispatcherHarness h = new DispatcherHarness(Map.of("deliveryTimeoutMs", "5000"));
        for (int i = 0; i < 100; i++) {
            h.sender.thenFailRequest(SendFailure.retryable("ServiceUnavailable", "503"));
        }
        h.logMany("e", 4);
        h.ticker.advanceMillis(200);
        List<Long> waits = new ArrayList<>();
        // Step like the real loop: park for the returned wait; a completion wakes it at once.
        for (int i = 0; i < 200 && h.metrics.getEventsDroppedUndeliverable() < 4; i++) {
            long wait = h.step();
            if (wait > 0 && wait != Dispatcher.UNTIL_WOKEN) {
                waits.add(wait);
                h.ticker.advance(wait, TimeUnit.NANOSECONDS);
            }
        }
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(4);
        assertThat(h.metrics.getEventsSent()).isZero();
        // 100, 200, 400, 800, 1600 ms ... never a tight loop, never beyond the 20 s cap
        assertThat(waits).isNotEmpty().allMatch(w -> w >= TimeUnit.MILLISECONDS.toNanos(100)
                && w <= TimeUnit.SECONDS.toNanos(20));
        assertThat(h.sender.batches().size()).isLessThanOrEqualTo(7);
        assertThat(h.metrics.getBufferedEvents()).isZero();
    }

    @Test
    void permanentRequestFailureIsCountedAndReportedNotRetried() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.thenFailRequest(SendFailure.permanent("AccessDenied", "not allowed"));
        h.logMany("e", 5);
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(5);
        assertThat(h.sender.batches()).hasSize(1);
        assertThat(h.status.errors).anySatisfy(e -> assertThat(e).contains("AccessDenied"));
        assertThat(h.metrics.getLastError()).contains("AccessDenied");
    }

    @Test
    void truncatesToTheQueuesLimitOnceItIsKnown() {
        DispatcherHarness h = new DispatcherHarness(Map.of(),
                new InMemorySqsSender("https://sqs.us-east-1.amazonaws.com/1/q", 1024));
        h.log("é".repeat(3000)); // 6000 bytes
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        String body = h.sender.delivered().get(0);
        assertThat(Utf8.encodedLength(body)).isLessThanOrEqualTo(1024);
        assertThat(body).endsWith("bytes]").startsWith("éé");
        assertThat(h.metrics.getEventsTruncated()).isEqualTo(1);
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void dropsOversizeWhenPolicyIsDrop() {
        DispatcherHarness h = new DispatcherHarness(Map.of("largeMessagePolicy", "drop"),
                new InMemorySqsSender("https://sqs.us-east-1.amazonaws.com/1/q", 1024));
        h.log("x".repeat(2000));
        h.log("small");
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        assertThat(h.sender.delivered()).containsExactly("small");
        assertThat(h.metrics.getEventsDroppedOversize()).isEqualTo(1);
    }

    @Test
    void buffersWhileQueueIsUnresolvedThenSends() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.resolveWith(SendFailure.retryable("ConnectException", "refused"));
        h.logMany("e", 5);
        long wait = h.step(); // resolve fails
        wait = h.step();
        assertThat(h.sender.batches()).isEmpty();
        assertThat(h.metrics.getBufferedEvents()).isEqualTo(5);
        assertThat(wait).isPositive();
        assertThat(h.status.warnings).anySatisfy(w -> assertThat(w).contains("refused"));

        h.sender.resolveWith(null);
        h.ticker.advance(wait, TimeUnit.NANOSECONDS);
        h.step(); // resolves
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        assertThat(h.sender.delivered()).hasSize(5);
    }

    @Test
    void whileTheQueueCannotBeFoundEachEventIsGivenUpAfterItsOwnDeliveryTimeoutNotSooner() {
        DispatcherHarness h = new DispatcherHarness(Map.of("deliveryTimeoutMs", "500"));
        h.sender.resolveWith(SendFailure.retryable("ConnectException", "refused"));
        h.log("early");
        assertThat(h.step()).as("parks until the next lookup or the first expiry").isPositive();
        h.ticker.advanceMillis(450);
        h.log("late"); // arrives while the dispatcher is parked
        h.ticker.advanceMillis(100);
        h.step();
        assertThat(h.metrics.getEventsDroppedUndeliverable()).as("only 'early', which waited 550 ms, is given up").isEqualTo(1);
        assertThat(h.metrics.getBufferedEvents()).as("'late' waited 100 ms").isEqualTo(1);
        assertThat(h.step()).as("wakes by the time 'late' has waited 500 ms")
                .isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400) + 1);

        h.ticker.advanceMillis(399);
        h.step();
        assertThat(h.metrics.getBufferedEvents()).as("'late' waited 499 ms").isEqualTo(1);
        h.ticker.advanceMillis(2);
        h.step();
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(2);
        assertThat(h.metrics.getBufferedEvents()).isZero();
        assertThat(h.status.errors).anySatisfy(e -> assertThat(e).contains("deliveryTimeoutMs"));
    }

    @Test
    void stopDeliversEverythingWithoutWaitingForLinger() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.logMany("e", 5);
        h.step();
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10));
        long result = h.step();
        if (result != Dispatcher.FINISHED) {
            result = h.step();
        }
        assertThat(result).isEqualTo(Dispatcher.FINISHED);
        assertThat(h.sender.delivered()).hasSize(5);
        assertThat(h.metrics.getEventsDropped()).isZero();
    }

    @Test
    void stopDeadlineCountsEverythingStillHeldAsShutdownDrops() {
        DispatcherHarness h = new DispatcherHarness(Map.of("maxInFlight", "1"));
        h.sender.hold(true);
        h.logMany("e", 25);
        h.step(); // one request of 10 in flight, 15 waiting
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(1));
        assertThat(h.step()).isNotEqualTo(Dispatcher.FINISHED);

        h.ticker.advanceMillis(1000);
        assertThat(h.step()).isEqualTo(Dispatcher.FINISHED);
        assertThat(h.metrics.getEventsDroppedShutdown()).isEqualTo(25);
        assertThat(h.metrics.getBufferedEvents()).isZero();
        assertThat(h.status.errors).anySatisfy(w -> assertThat(w).contains("shutdown=25"));

        assertThat(h.dispatcher.intake().offer(IntakeEvent.of("after", h.ticker.read()))).isTrue();
        assertThat(h.metrics.getEventsDroppedShutdown()).isEqualTo(26);
    }

    @Test
    void flushCompletesOnceEverythingOfferedBeforeItIsDelivered() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.hold(true);
        h.logMany("e", 3);
        CompletableFuture<Boolean> flushed = h.dispatcher.intake().requestFlush();
        h.log("after-flush");
        h.step(); // flush makes the batch urgent: sent without linger
        assertThat(h.sender.batches()).hasSize(1);
        assertThat(flushed).isNotDone();

        h.sender.releaseAll();
        h.step();
        assertThat(flushed).isCompletedWithValue(true);
    }

    @Test
    void whenAFlushCompletesTheBufferGaugeAlreadyShowsItsEventsGone() {
        // The soak read getBufferedEvents() right after flush() returned and saw the room of the
        // last settled batch still reserved: the budget was released in bulk after the flush woke.
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.hold(true);
        h.logMany("e", 25);
        CompletableFuture<Boolean> flushed = h.dispatcher.intake().requestFlush();
        java.util.concurrent.atomic.AtomicLong bufferedWhenWoken = new java.util.concurrent.atomic.AtomicLong(-1);
        flushed.thenRun(() -> bufferedWhenWoken.set(h.metrics.getBufferedEvents()));
        h.step();
        h.sender.releaseAll();
        h.step();
        assertThat(flushed).isCompletedWithValue(true);
        assertThat(bufferedWhenWoken).hasValue(0);
    }

    @Test
    void flushWithNothingBufferedCompletesImmediately() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        CompletableFuture<Boolean> flushed = h.dispatcher.intake().requestFlush();
        h.step();
        assertThat(flushed).isCompletedWithValue(true);
    }

    @Test
    void aDueRetryWithEveryRequestSlotBusyParksUntilACompletionInsteadOfSpinning() {
        DispatcherHarness h = new DispatcherHarness(Map.of("maxInFlight", "1", "lingerMs", "0"));
        h.sender.thenFailEntries(false, "InternalError", 1);
        h.log("a");
        h.log("b");
        h.step(); // [a, b] sent; b fails
        h.step(); // b waits 100 ms for its retry
        h.sender.hold(true);
        h.log("c");
        h.step(); // [c] takes the only slot and hangs
        h.ticker.advanceMillis(150); // b is due, but nothing can be sent until [c] completes
        assertThat(h.step()).as("no busy loop: a completion wakes the dispatcher").isEqualTo(Dispatcher.UNTIL_WOKEN);
        assertThat(h.dispatcher.intake().wakeThreshold()).isPositive();
        h.sender.hold(false);
        h.sender.releaseAll();
        h.step();
        h.step();
        assertThat(h.sender.delivered()).containsExactly("a", "c", "b");
    }

    @Test
    void aDueRetryWhileThrottlingHasClosedTheGateParksUntilTheGateReopens() {
        DispatcherHarness h = new DispatcherHarness(Map.of("maxInFlight", "2", "lingerMs", "0"));
        h.sender.thenFailEntries(false, "InternalError", 0);
        h.log("a");
        h.step(); // [a] sent, fails as an entry: retry in 100 ms
        h.step();
        h.ticker.advanceMillis(50);
        h.sender.thenFailRequest(SendFailure.throttled("ThrottlingException", "slow down"));
        h.log("b");
        h.step(); // [b] sent at 50 ms, throttled: the gate closes until 150 ms
        h.step();
        h.ticker.advanceMillis(70); // 120 ms: a's retry has been due for 20 ms; the gate reopens in 30
        long wait = h.step();
        assertThat(wait).as("wait for the gate, not 0 for the retry").isEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    }

    @Test
    void fifoSendsRetriesBeforeAnyNewerEvent() {
        DispatcherHarness h = new DispatcherHarness(Map.of("maxBatchSize", "2",
                "queueUrl", "https://sqs.us-east-1.amazonaws.com/1/q.fifo"),
                new InMemorySqsSender("https://sqs.us-east-1.amazonaws.com/1/q.fifo", 262_144));
        h.sender.thenFailRequest(SendFailure.retryable("InternalError", "boom"));
        for (int i = 0; i < 3; i++) {
            h.logInGroup("a", "a" + i);
            h.logInGroup("b", "b" + i);
        }
        h.step(); // [a0, b0] sent and fails; FIFO keeps one request in flight
        h.step();
        assertThat(h.sender.batches()).hasSize(1);
        h.ticker.advanceMillis(100);
        for (int i = 0; i < 4; i++) {
            h.step();
        }
        assertThat(h.sender.batches()).extracting(InMemorySqsSender::bodies).containsExactly(
                List.of("a0", "b0"), List.of("a0", "b0"), List.of("a1", "b1"), List.of("a2", "b2"));
        assertThat(h.sender.batches().get(1).get(0).message().groupId()).isEqualTo("a");
    }

    @Test
    void onFifoAFailedEntryIsNeverOvertakenByALaterEntryOfItsGroup() {
        // SQS settles each entry of a batch on its own: had a0 and a1 shared a batch, a0 failing
        // while a1 succeeded would put a1 in the queue first. A batch never holds two of one group.
        DispatcherHarness h = new DispatcherHarness(Map.of("queueUrl", "https://sqs.us-east-1.amazonaws.com/1/q.fifo"),
                new InMemorySqsSender("https://sqs.us-east-1.amazonaws.com/1/q.fifo", 262_144));
        h.sender.thenFailEntries(false, "InternalError", 0); // the first entry of the first request: a0
        h.logInGroup("a", "a0");
        h.logInGroup("b", "b0");
        h.logInGroup("a", "a1");
        h.logInGroup("b", "b1");
        h.ticker.advanceMillis(200); // [a0, b0] has lingered; a1 and b1 wait behind their groups
        h.step();
        h.step();
        h.ticker.advanceMillis(100); // a0's entry backoff; b1 may join it, a1 may not
        for (int i = 0; i < 4; i++) {
            h.step();
        }
        assertThat(h.sender.batches()).extracting(InMemorySqsSender::bodies).containsExactly(
                List.of("a0", "b0"), List.of("a0", "b1"), List.of("a1"));
        assertThat(h.sender.delivered()).containsExactly("b0", "a0", "b1", "a1");
        assertThat(h.metrics.getEventsSent()).isEqualTo(4);
    }

    @Test
    void onFifoEachGroupHasOneMessagePerRequestWhileOtherGroupsFillIt() {
        DispatcherHarness h = new DispatcherHarness(Map.of("queueUrl", "https://sqs.us-east-1.amazonaws.com/1/q.fifo",
                "lingerMs", "0"), new InMemorySqsSender("https://sqs.us-east-1.amazonaws.com/1/q.fifo", 262_144));
        for (int i = 0; i < 3; i++) {
            h.logInGroup("solo", "s" + i);
        }
        for (int i = 0; i < 20; i++) {
            h.logInGroup("g" + (i % 10), "g" + i);
        }
        for (int i = 0; i < 10; i++) {
            h.step();
        }
        assertThat(h.sender.batchSizes()).containsExactly(10, 10, 3);
    }

    @Test
    void warnAndErrorKeepTheLastTenPercentOfTheBuffer() {
        DispatcherHarness h = new DispatcherHarness(Map.of("bufferCapacity", "100"));
        long acceptedInfo = IntStream.range(0, 100).filter(i -> h.log("info" + i)).count();
        long acceptedWarn = IntStream.range(0, 20).filter(i -> h.log("warn" + i, true)).count();
        assertThat(acceptedInfo).isEqualTo(90);
        assertThat(acceptedWarn).isEqualTo(10);
        assertThat(h.metrics.getEventsDroppedOverflow()).isEqualTo(20);
    }

    @Test
    void bufferBytesBoundHoldsWhateverTheSenderDoes() {
        DispatcherHarness h = new DispatcherHarness(Map.of("maxBufferBytes", "10000"));
        h.sender.hold(true);
        for (int i = 0; i < 100; i++) {
            h.log("x".repeat(500), true);
            h.step();
            assertThat(h.metrics.getBufferedBytes()).isLessThanOrEqualTo(10_000);
        }
        assertThat(h.metrics.getEventsDroppedOverflow()).as("each event charged its text and the heap overhead")
                .isEqualTo(100 - 10_000 / (500 + IntakeEvent.HEAP_OVERHEAD_BYTES));
    }

    @Test
    void idleDispatcherAsksToBeWokenNotToPoll() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.step();
        assertThat(h.step()).isEqualTo(Dispatcher.UNTIL_WOKEN);
    }

    @Test
    void aFlushStormWhileTheQueueCannotBeFoundLosesNothingUncountedAndStopFinishes() {
        DispatcherHarness h = new DispatcherHarness(Map.of("bufferCapacity", "16"));
        h.sender.resolveWith(SendFailure.permanent("QueueDoesNotExist", "The specified queue does not exist"));
        h.step(); // the lookup fails; it is retried with backoff
        List<CompletableFuture<Boolean>> flushes = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // a Lambda-style loop flushing through the outage
            flushes.add(h.dispatcher.intake().requestFlush());
            h.step();
        }
        for (int i = 0; i < 16; i++) {
            assertThat(h.log("warn-" + i, true)).as("event %d admitted", i).isTrue();
        }
        assertThat(h.metrics.getBufferedEvents()).isEqualTo(16);

        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(1));
        // The stop looks the queue up once more, at once; it still does not exist: nothing to wait for.
        assertThat(h.step()).isEqualTo(Dispatcher.FINISHED);

        assertThat(h.metrics.getEventsAppended()).isEqualTo(16);
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(16);
        assertThat(h.metrics.getEventsSent() + h.metrics.getEventsDropped()).isEqualTo(16);
        assertThat(h.metrics.getBufferedEvents()).isZero();
        // Requested before anything was logged: they cover no event, so nothing of theirs was lost.
        assertThat(flushes).allSatisfy(f -> assertThat(f).isCompletedWithValue(true));
    }

    @Test
    void aStopLooksTheQueueUpAtOnceAndDoesNotWaitOutItsTimeoutForAQueueThatDoesNotExist() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.resolveWith(SendFailure.permanent("QueueDoesNotExist", "The specified queue does not exist"));
        h.logMany("e", 3);
        assertThat(h.step()).as("the first lookup failed: the next one is a backoff away").isPositive();
        int lookups = h.sender.resolveCalls();
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10));
        assertThat(h.step()).as("no wait for the backoff, nor for the stop's 10 s").isEqualTo(Dispatcher.FINISHED);
        assertThat(h.sender.resolveCalls()).isEqualTo(lookups + 1);
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(3);
        assertThat(h.metrics.getEventsDroppedShutdown()).isZero();
        assertThat(h.status.errors).anySatisfy(e -> assertThat(e).isEqualTo("Event not delivered to "
                + "https://sqs.us-east-1.amazonaws.com/123456789012/test: the queue could not be reached when the appender stopped"));
    }

    @Test
    void withoutCredentialsLookupsGoOnWhileRunningButAStopDoesNotWaitForThem() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        SendFailure noCredentials = new SendFailure(SendFailure.NO_CREDENTIALS,
                "Unable to load credentials from any of the providers in the chain", true, false, null);
        h.sender.resolveWith(noCredentials);
        h.logMany("e", 3);
        long wait = h.step();
        h.ticker.advance(wait, TimeUnit.NANOSECONDS);
        h.step();
        assertThat(h.sender.resolveCalls()).as("retried while running: credentials may come").isEqualTo(2);
        assertThat(h.metrics.getBufferedEvents()).isEqualTo(3);
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10)); // the JVM exits
        assertThat(h.step()).as("looked up once more at once, then no wait for the stop's 10 s")
                .isEqualTo(Dispatcher.FINISHED);
        assertThat(h.sender.resolveCalls()).isEqualTo(3);
        assertThat(h.metrics.getEventsDroppedUndeliverable()).isEqualTo(3);
        assertThat(h.metrics.getEventsDroppedShutdown()).isZero();
    }

    @Test
    void duringAStopAnUnreachableEndpointIsRetriedOftenAndGetsWhatIsBufferedWhenItComesBack() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.resolveWith(SendFailure.retryable("ConnectException", "refused"));
        h.logMany("e", 3);
        h.step(); // the lookup fails; before the stop, the next one would be a growing backoff away
        h.ticker.advanceMillis(5_000);
        h.step();
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10)); // the JVM exits
        long wait = h.step();
        assertThat(wait).as("an unreachable endpoint may come back: not given up").isNotEqualTo(Dispatcher.FINISHED)
                .isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(h.metrics.getBufferedEvents()).isEqualTo(3);
        h.sender.resolveWith(null); // SQS is back
        h.ticker.advance(wait, TimeUnit.NANOSECONDS);
        for (int i = 0; i < 5 && h.metrics.getEventsSent() < 3; i++) {
            h.step();
        }
        assertThat(h.sender.delivered()).hasSize(3);
        assertThat(h.metrics.getEventsDropped()).isZero();
    }

    @Test
    void aClientThatCannotBeBuiltIsAFailedLookupReportedAndRetriedNotTheEndOfLookups() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.resolveThrowing(new NoClassDefFoundError("io/netty/channel/EventLoopGroup"));
        h.log("waits");
        long wait = h.step();
        assertThat(wait).as("parked until the next lookup").isPositive();
        assertThat(h.status.warnings).anySatisfy(w -> assertThat(w).contains("NoClassDefFoundError")
                .contains("io/netty/channel/EventLoopGroup"));
        h.sender.resolveThrowing(null); // the missing jar arrived (a plugin directory, a redeploy)
        h.ticker.advance(wait, TimeUnit.NANOSECONDS);
        h.step();
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        assertThat(h.sender.delivered()).containsExactly("waits");
    }

    @Test
    void stopWithNothingBufferedFinishesAtOnceEvenWhileTheQueueCannotBeFound() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.resolveWith(SendFailure.retryable("ConnectException", "refused"));
        h.step();
        h.dispatcher.requestStop(h.ticker.read() + TimeUnit.SECONDS.toNanos(10));
        assertThat(h.step()).isEqualTo(Dispatcher.FINISHED);
    }

    @Test
    void ledgerAccountsEveryStateAcrossRetriesAndTheBudgetReturnsToZero() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.sender.thenFailEntries(false, "InternalError", 0, 1).thenFailRequest(SendFailure.throttled("Throttling", "slow"));
        h.logMany("e", 10);
        h.step();
        h.step(); // one batch of 10: 8 delivered, 2 wait for a retry
        assertThat(h.metrics.getEventsSent()).isEqualTo(8);
        assertThat(h.metrics.getBufferedEvents()).isEqualTo(2);
        h.ticker.advanceMillis(100);
        h.step();
        h.step(); // the retry batch is throttled: both wait again, sends pause
        assertThat(h.metrics.getRequestsThrottled()).isEqualTo(1);
        assertThat(h.metrics.getBufferedEvents()).isEqualTo(2);
        h.ticker.advanceMillis(100);
        h.step();
        h.step();
        assertThat(h.metrics.getEventsSent()).isEqualTo(10);
        assertThat(h.metrics.getEventsRetried()).isEqualTo(4);
        assertThat(h.metrics.getBufferedEvents()).isZero();
        assertThat(h.metrics.getBufferedBytes()).isZero();
    }

    @Test
    void anIdleDispatcherIsWokenByTheFirstEventSoATrickleWaitsOnlyTheLinger() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        assertThat(h.step()).isEqualTo(Dispatcher.UNTIL_WOKEN);
        assertThat(h.dispatcher.intake().wakeThreshold()).isEqualTo(1);
        h.log("one");
        assertThat(h.step()).isEqualTo(LINGER_NANOS);
        assertThat(h.dispatcher.intake().wakeThreshold()).as("a partial batch: wake for a full one").isEqualTo(9);
    }

    @Test
    void packingLargeEventsTheDispatcherIsWokenAtHalfTheBufferNotAfterTheLinger() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson", "lingerMs", "1000"));
        String large = "x".repeat(16_000);
        h.log(large);
        assertThat(h.step()).as("a partial pack lingers").isPositive();
        int waitsFor = h.dispatcher.intake().wakeThreshold();
        int half = 16 * 1024 * 1024 / (16_000 + IntakeEvent.HEAP_OVERHEAD_BYTES);
        assertThat(waitsFor).as("a count of events the bytes bound stops far short of").isGreaterThan(2 * half);

        int logged = 1;
        while (h.dispatcher.intake().wakeThreshold() == waitsFor) {
            assertThat(h.log(large)).isTrue();
            logged++;
            assertThat(logged).as("woken before the buffer is full").isLessThan(2 * half);
        }
        assertThat(logged).as("at half the bytes").isBetween(half - 2, half + 2);
        h.step(); // no time passed: under pressure, the packs go now
        assertThat(h.sender.batches()).isNotEmpty();
        assertThat(h.metrics.getEventsDroppedOverflow()).isZero();
    }

    @Test
    void afterAnIdleSpellTheFirstEventIsStampedWhenItArrivesSoItWaitsItsWholeLinger() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        assertThat(h.step()).isEqualTo(Dispatcher.UNTIL_WOKEN);
        h.ticker.advanceMillis(5_000); // nothing logged for five seconds
        h.log("one");
        assertThat(((IntakeEvent) h.dispatcher.intake().peek()).enqueuedAtNanos()).isEqualTo(h.ticker.read());
        assertThat(h.step()).as("not due at once: it lingers from its arrival").isEqualTo(LINGER_NANOS);
        assertThat(h.sender.batches()).isEmpty();
    }

    @Test
    void anEventArrivingWhileABatchLingersIsStampedWithTheStepBeforeItNeverLater() {
        DispatcherHarness h = new DispatcherHarness(Map.of());
        h.log("a");
        long stepStart = h.ticker.read();
        assertThat(h.step()).isEqualTo(LINGER_NANOS);
        h.ticker.advanceMillis(150);
        h.log("b"); // the dispatcher parks until a's linger ends; b's producer does not read the clock
        assertThat(((IntakeEvent) h.dispatcher.intake().peek()).enqueuedAtNanos())
                .as("the latest step's start: at most one park early, never late").isEqualTo(stepStart);
        h.ticker.advanceMillis(50);
        h.step();
        assertThat(h.sender.batchSizes()).containsExactly(2);
    }

    @Test
    void onFifoAMessageCarriedOverByTheByteLimitNeverOvertakesAFailedBatch() {
        DispatcherHarness h = new DispatcherHarness(Map.of("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/test.fifo"));
        h.sender.thenFailRequest(SendFailure.throttled("ThrottlingException", "slow down"));
        for (int i = 1; i <= 6; i++) {
            h.logInGroup("g" + i, "m" + i + "-" + "x".repeat(200_000)); // six groups: only the byte limit seals
        }
        h.step(); // [m1..m5] sealed by the 1 MiB limit, m6 carried; the request is throttled
        h.step();
        assertThat(h.sender.batches()).hasSize(1);
        h.ticker.advanceMillis(100); // the pause ends
        h.step();
        h.step();
        h.ticker.advanceMillis(200);
        h.step();
        h.step();
        List<String> order = h.sender.batches().stream().skip(1).flatMap(b -> InMemorySqsSender.bodies(b).stream())
                .map(b -> b.substring(0, b.indexOf('-'))).toList();
        assertThat(order).containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
    }

    @Test
    void onFifoWithPackingAWaitingRetryDoesNotMakeTheDispatcherSpin() {
        DispatcherHarness h = new DispatcherHarness(Map.of("packing", "ndjson",
                "queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/test.fifo"));
        h.sender.thenFailEntries(false, "InternalError", 0);
        h.logInGroup("g", "first");
        h.ticker.advanceMillis(200);
        h.step();
        h.step(); // the pack failed: it waits for its retry
        h.logInGroup("g", "second");
        h.ticker.advanceMillis(250); // the retry and the new pack are both due: the retry must go first
        long wait = h.step();
        assertThat(h.sender.batches()).as("the retry went first; the new pack did not overtake it")
                .extracting(InMemorySqsSender::bodies).containsExactly(List.of("\"first\""), List.of("\"first\"")); // NDJSON packs of one
        assertThat(wait).as("parks until the retry's answer wakes it: no spinning").isEqualTo(Dispatcher.UNTIL_WOKEN);
        h.step();
        assertThat(h.sender.delivered()).containsExactly("\"first\"", "\"second\"");
    }
}
