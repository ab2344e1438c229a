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
}
