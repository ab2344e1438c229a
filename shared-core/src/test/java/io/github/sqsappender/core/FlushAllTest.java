package io.github.sqsappender.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlushAllTest {

    private long now;

    @Test
    void eachTargetGetsWhatTheOnesBeforeItLeftAndAnyFailureIsTheAnswer() {
        List<Long> given = new ArrayList<>();
        FlushAll.Flushable slow = timeout -> {
            given.add(timeout);
            now += 300_000_000L; // takes 300 ms
            return true;
        };
        FlushAll.Flushable failing = timeout -> {
            given.add(timeout);
            return false;
        };
        boolean delivered = FlushAll.within(List.of(slow, slow, failing, slow, slow), 1_000, () -> now);
        assertThat(given).containsExactly(1_000L, 700L, 400L, 400L, 100L);
        assertThat(delivered).isFalse();
        assertThat(FlushAll.within(List.of(), 1_000, () -> now)).isTrue();
    }

    @Test
    void pastTheDeadlineTheRestGetNoTime() {
        List<Long> given = new ArrayList<>();
        FlushAll.Flushable slow = timeout -> {
            given.add(timeout);
            now += 800_000_000L;
            return true;
        };
        assertThat(FlushAll.within(List.of(slow, slow, slow), 1_000, () -> now)).isTrue();
        assertThat(given).containsExactly(1_000L, 200L, 0L);
    }

    @Test
    void upstreamStagesAreEmptiedFirstAndAWorkerThatHandsOverDuringTheFlushGetsAnotherRound() {
        List<String> calls = new ArrayList<>();
        long[] appended = {0};
        int[] queued = {3};
        FlushAll.Upstream async = () -> {
            if (queued[0] > 0) { // the worker hands one event over per look, as time passes
                queued[0]--;
                appended[0]++;
                now += 1_000_000L;
                return false;
            }
            return true;
        };
        boolean[] workerHeldOne = {true};
        FlushAll.Flushable target = timeout -> {
            calls.add("flush at " + appended[0]);
            if (workerHeldOne[0]) { // the worker's last event, taken before the queue looked empty
                workerHeldOne[0] = false;
                appended[0]++;
            }
            return true;
        };
        assertThat(FlushAll.within(List.of(target), List.of(async), () -> appended[0], 1_000, () -> now)).isTrue();
        assertThat(calls).containsExactly("flush at 3", "flush at 4");
    }

    @Test
    void aStageThatDoesNotEmptyInTimeIsAFailedFlushOfWhatDidArrive() {
        List<Long> given = new ArrayList<>();
        FlushAll.Upstream stuck = () -> {
            now += 100_000_000L;
            return false;
        };
        FlushAll.Flushable target = timeout -> {
            given.add(timeout);
            return true;
        };
        assertThat(FlushAll.within(List.of(target), List.of(stuck), () -> 0, 1_000, () -> now)).isFalse();
        assertThat(given).containsExactly(0L);
    }

    @Test
    void anApplicationThatKeepsLoggingDoesNotHoldTheFlushUpToItsTimeout() {
        long[] appended = {0};
        int[] flushes = {0};
        FlushAll.Flushable target = timeout -> {
            flushes[0]++;
            appended[0] += 10; // logged meanwhile, straight to the appender
            return true;
        };
        assertThat(FlushAll.within(List.of(target), List.<FlushAll.Upstream>of(() -> true), () -> appended[0], 1_000,
                () -> now)).isTrue();
        assertThat(flushes[0]).isEqualTo(3);
    }

    @Test
    void aRoundThatFailedIsTheAnswerEvenIfALaterRoundDeliversEverything() {
        long[] appended = {0};
        boolean[] first = {true};
        FlushAll.Flushable target = timeout -> {
            appended[0]++; // a worker handed an event over meanwhile: another round follows
            boolean delivered = !first[0]; // the first round's event was dropped
            first[0] = false;
            return delivered;
        };
        assertThat(FlushAll.within(List.of(target), List.<FlushAll.Upstream>of(() -> true), () -> appended[0], 1_000,
                () -> now)).isFalse();
    }

    @Test
    void aTimeoutOfLongMaxValueWaitsAsLongAsItTakes() {
        List<Long> given = new ArrayList<>();
        FlushAll.Flushable target = timeout -> {
            given.add(timeout);
            return true;
        };
        now = 5_000_000_000L;
        assertThat(FlushAll.within(List.of(target), List.<FlushAll.Upstream>of(() -> true), () -> 0, Long.MAX_VALUE,
                () -> now)).isTrue();
        assertThat(given).singleElement().satisfies(t -> assertThat(t).isGreaterThan(java.util.concurrent.TimeUnit.DAYS.toMillis(365)));
    }
}
