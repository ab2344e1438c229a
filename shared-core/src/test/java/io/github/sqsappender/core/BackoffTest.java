package io.github.sqsappender.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void standardDoublesFrom100MillisecondsUpTo20Seconds() {
        Backoff b = Backoff.standard();
        assertThat(b.ceilingNanos(1)).isEqualTo(100_000_000L);
        assertThat(b.ceilingNanos(2)).isEqualTo(200_000_000L);
        assertThat(b.ceilingNanos(8)).isEqualTo(12_800_000_000L);
        assertThat(b.ceilingNanos(9)).isEqualTo(20_000_000_000L);
        assertThat(b.ceilingNanos(1_000)).isEqualTo(20_000_000_000L);
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCeilingAndIsNotConstant() {
        Backoff b = Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 1_000; i++) {
            long d = b.delayNanos(3);
            assertThat(d).isBetween(0L, 40_000_000L);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(max - min).as("jittered").isGreaterThan(20_000_000L);
    }

    @Test
    void withoutJitterEveryWaitIsItsCeiling() {
        Backoff b = Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(300)).withoutJitter();
        assertThat(b.delayNanos(1)).isEqualTo(50_000_000L);
        assertThat(b.delayNanos(2)).isEqualTo(100_000_000L);
        assertThat(b.delayNanos(3)).isEqualTo(200_000_000L);
        assertThat(b.delayNanos(4)).isEqualTo(300_000_000L);
    }

    @Test
    void aJitterOutsideTheRangeIsClampedIntoIt() {
        Backoff b = Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1));
        assertThat(b.withJitter(bound -> -5).delayNanos(1)).isZero();
        assertThat(b.withJitter(bound -> bound * 3).delayNanos(1)).isEqualTo(10_000_000L);
    }

    @Test
    void rejectsANonPositiveBaseOrACapBelowTheBase() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
