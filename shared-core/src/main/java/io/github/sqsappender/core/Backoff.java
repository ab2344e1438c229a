package io.github.sqsappender.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * How long the dispatcher waits before retrying: exponential, capped, with full jitter by
 * default. Attempt {@code n} (1 = the first retry) waits a time in
 * {@code [0, min(cap, base * 2^(n-1))]}; full jitter spreads the retries of many JVMs that hit
 * the same queue at the same moment.
 *
 * <p>Immutable and thread-safe. Pass one to {@link SqsPipelineBuilder#backoff} to change the
 * retry timing, e.g. {@link #withoutJitter()} for tests that assert exact gaps.
 */
public final class Backoff {

    private final long baseNanos;
    private final long capNanos;
    private final LongUnaryOperator jitter;

    private Backoff(long baseNanos, long capNanos, LongUnaryOperator jitter) {
        if (baseNanos <= 0 || capNanos < baseNanos) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got base " + baseNanos
                    + " ns, cap " + capNanos + " ns");
        }
        this.baseNanos = baseNanos;
        this.capNanos = capNanos;
        this.jitter = jitter;
    }

    /** What production uses: 100 ms base, 20 s cap, full jitter. */
    public static Backoff standard() {
        return exponential(Duration.ofMillis(100), Duration.ofSeconds(20));
    }

    /** Exponential from {@code base} up to {@code cap}, with full jitter. */
    public static Backoff exponential(Duration base, Duration cap) {
        return new Backoff(base.toNanos(), cap.toNanos(), bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /**
     * The same schedule with a given jitter.
     *
     * @param jitter maps an upper bound {@code b} (nanoseconds) to a wait in {@code [0, b]}; values
     *               outside that range are clamped into it
     */
    public Backoff withJitter(LongUnaryOperator jitter) {
        return new Backoff(baseNanos, capNanos, Objects.requireNonNull(jitter, "jitter"));
    }

    /** The same schedule without jitter: every wait is exactly its upper bound. Deterministic. */
    public Backoff withoutJitter() {
        return withJitter(LongUnaryOperator.identity());
    }

    /** The upper bound, in nanoseconds, of the wait before attempt {@code attempt} (1 = first retry). */
    public long ceilingNanos(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 40);
        long ceiling = baseNanos << shift;
        return ceiling <= 0 || ceiling > capNanos ? capNanos : ceiling;
    }

    /** The wait, in nanoseconds, before attempt {@code attempt}: jittered within {@code [0, ceiling]}. */
    public long delayNanos(int attempt) {
        long ceiling = ceilingNanos(attempt);
        return Math.max(0, Math.min(ceiling, jitter.applyAsLong(ceiling)));
    }

    @Override
    public String toString() {
        return "Backoff[base=" + baseNanos / 1_000_000 + "ms, cap=" + capNanos / 1_000_000 + "ms]";
    }
}
