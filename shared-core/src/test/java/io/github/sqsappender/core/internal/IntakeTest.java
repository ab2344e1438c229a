package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.testing.ManualTicker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class IntakeTest {

    private final ManualTicker ticker = new ManualTicker();
    private final MetricsRecorder metrics = new MetricsRecorder();
    private final BufferBudget budget = new BufferBudget(16, 1_000_000);
    private final Intake intake = new Intake(16, budget, metrics, ticker);
    private final Ledger ledger = new Ledger(budget, metrics);

    /** A WARN event: it may use the whole buffer, not only the 90% left to INFO. */
    private static IntakeEvent warn(String body) {
        return new IntakeEvent(body, body.length(), List.of(), null, true, false, 0);
    }

    @Test
    void theProducerThatReachesTheThresholdDisarmsItSoLaterOnesDoNotUnparkAgain() {
        intake.bindDispatcher(new Thread(() -> { }, "never-started")); // unparking it does nothing
        assertThat(intake.armWake(3)).isTrue();
        intake.offer(warn("a"));
        intake.offer(warn("b"));
        assertThat(intake.wakeThreshold()).as("below the threshold: still armed").isEqualTo(3);

        intake.offer(warn("c"));
        assertThat(intake.wakeThreshold()).as("woken once, then disarmed until the dispatcher re-arms")
                .isEqualTo(Integer.MAX_VALUE);
        intake.offer(warn("d"));
        assertThat(intake.wakeThreshold()).isEqualTo(Integer.MAX_VALUE);
        assertThat(intake.armWake(3)).as("re-arming over the threshold: the dispatcher runs again at once").isFalse();
    }

    private static final String LARGE = "x".repeat(1_000);

    /** An intake whose bytes bound holds ten {@link #LARGE} events, and its events bound 1,000. */
    private Intake intakeForTenLargeEvents() {
        BufferBudget bytes = new BufferBudget(1_000, 10L * warn(LARGE).budgetBytes());
        return new Intake(1_000, bytes, metrics, ticker);
    }

    @Test
    void halfTheBufferInBytesWakesTheDispatcherWhateverCountOfEventsItWaitsFor() {
        Intake large = intakeForTenLargeEvents();
        large.bindDispatcher(new Thread(() -> { }, "never-started"));
        assertThat(large.armWake(500)).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(large.offer(warn(LARGE))).isTrue();
        }
        assertThat(large.wakeThreshold()).as("half the bytes, not more: still armed").isEqualTo(500);

        large.offer(warn(LARGE));
        assertThat(large.wakeThreshold()).as("past half the bytes with 6 events of the 500 it waits for: woken")
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(large.armWake(500)).isTrue();
        large.offer(warn(LARGE));
        assertThat(large.wakeThreshold()).as("already past half: no wake-up per event").isEqualTo(500);
    }

    @Test
    void aRefusedEventWakesTheDispatcherOncePerArmingWhileEventsWaitForIt() {
        Intake large = intakeForTenLargeEvents();
        large.bindDispatcher(new Thread(() -> { }, "never-started"));
        for (int i = 0; i < 10; i++) {
            assertThat(large.offer(warn(LARGE))).isTrue();
        }
        assertThat(large.armWake(500)).isTrue();
        assertThat(large.offer(warn("y"))).as("full").isFalse();
        assertThat(large.wakeThreshold()).as("full with events queued: woken").isEqualTo(Integer.MAX_VALUE);

        while (large.poll() != null) {
            // the dispatcher takes them all; their room stays taken until they are sent
        }
        assertThat(large.armWake(500)).isTrue();
        assertThat(large.offer(warn("y"))).isFalse();
        assertThat(large.wakeThreshold())
                .as("full with nothing queued: what holds the room wakes the dispatcher when it ends, not each refusal")
                .isEqualTo(500);
    }

    @Test
    void eventsAreStampedWithTheDispatchersLatestStepUnlessItIdlesUntilTheNextEvent() {
        ticker.advanceMillis(10);
        assertThat(intake.arrivalTime()).as("before the first step: the clock").isEqualTo(ticker.read());
        long stepStart = ticker.read();
        intake.stepStarted(stepStart);
        ticker.advanceMillis(100);
        assertThat(intake.arrivalTime()).isEqualTo(stepStart);
        intake.armWake(9); // parked for a deadline, woken by a full batch
        assertThat(intake.arrivalTime()).isEqualTo(stepStart);
        intake.armWake(1); // idle: the next event wakes it, and lingers from its own arrival
        assertThat(intake.arrivalTime()).isEqualTo(ticker.read());
    }

    @Test
    void aFlushStormNeverTakesAnEventsSlot() {
        List<CompletableFuture<Boolean>> flushes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            flushes.add(intake.requestFlush());
        }
        for (int i = 0; i < 16; i++) {
            assertThat(intake.offer(warn("e" + i))).isTrue();
        }
        assertThat(intake.size()).as("at most the marker slots plus the events").isEqualTo(Intake.MARKER_SLOTS + 16);
        assertThat(budget.events()).isEqualTo(16);
        assertThat(metrics.getEventsDropped()).isZero();
    }

    @Test
    void deferredFlushesRideOnAMarkerBehindEverythingOfferedBefore() {
        for (int i = 0; i < Intake.MARKER_SLOTS; i++) {
            intake.requestFlush();
        }
        intake.offer(IntakeEvent.of("before", 0));
        CompletableFuture<Boolean> deferred = intake.requestFlush();
        assertThat(intake.size()).isEqualTo(Intake.MARKER_SLOTS + 1);
        assertThat(intake.hasPendingFlush()).isTrue();

        List<IntakeItem> taken = new ArrayList<>();
        IntakeItem item;
        while ((item = intake.poll()) != null) {
            taken.add(item);
        }
        // 64 markers, the event, then one marker carrying the deferred flush: after the event.
        assertThat(taken).hasSize(Intake.MARKER_SLOTS + 2);
        assertThat(taken.get(Intake.MARKER_SLOTS)).isInstanceOf(IntakeEvent.class);
        IntakeItem last = taken.get(taken.size() - 1);
        assertThat(last).isInstanceOf(FlushMarker.class);
        ((FlushMarker) last).complete(true);
        assertThat(deferred).isCompletedWithValue(true);
        assertThat(intake.hasPendingFlush()).isFalse();
    }

    @Test
    void deferredFlushesWhoseCallersGaveUpAreForgotten() {
        for (int i = 0; i < Intake.MARKER_SLOTS; i++) {
            intake.requestFlush();
        }
        for (int i = 0; i < 1_000; i++) {
            intake.requestFlush().complete(false); // a Lambda-style loop whose flushes time out
        }
        CompletableFuture<Boolean> live = intake.requestFlush();
        assertThat(intake.deferredFlushCount()).as("bounded by the callers still waiting").isEqualTo(1);

        FlushMarker last = null;
        IntakeItem item;
        while ((item = intake.poll()) != null) {
            last = (FlushMarker) item;
        }
        assertThat(intake.hasPendingFlush()).isFalse();
        last.complete(true);
        assertThat(live).isCompletedWithValue(true);
    }

    @Test
    void closeCountsEveryEventStillQueuedAndFailsMarkers() {
        intake.offer(IntakeEvent.of("a", 0));
        CompletableFuture<Boolean> flush = intake.requestFlush();
        intake.offer(IntakeEvent.of("b", 0));

        intake.close(ledger, io.github.sqsappender.core.DropReason.SHUTDOWN);

        assertThat(metrics.getEventsDroppedShutdown()).isEqualTo(2);
        assertThat(budget.events()).isZero();
        assertThat(flush).isCompletedWithValue(false);
        assertThat(intake.offer(IntakeEvent.of("late", 0))).as("counted, not refused").isTrue();
        assertThat(metrics.getEventsDroppedShutdown()).isEqualTo(3);
    }

    @Test
    void armedWakeReportsARaceWhenTheQueueAlreadyHoldsEnough() {
        intake.offer(IntakeEvent.of("a", 0));
        intake.offer(IntakeEvent.of("b", 0));
        assertThat(intake.armWake(2)).isFalse();
        assertThat(intake.armWake(3)).isTrue();
    }
}
