package io.github.sqsappender.core.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: attempt {@code n} waits a uniformly random time in
 * {@code [0, min(cap, base * 2^(n-1))]}, which spreads retries of many JVMs hitting the same queue.
 */
public final class Backoff {

    private final long baseNanos;
    private final long capNanos;
    private final LongUnaryOperator jitter;

    /**
     * @param jitter maps an upper bound {@code b} to a value in {@code [0, b]}; random in production,
     *               fixed in tests
     */
    public Backoff(long baseNanos, long capNanos, LongUnaryOperator jitter) {
        this.baseNanos = baseNanos;
        this.capNanos = capNanos;
        this.jitter = jitter;
    }

    /** 100 ms base, 20 s cap, random jitter. */
    public static Backoff standard() {
        return new Backoff(100_000_000L, 20_000_000_000L,
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** The upper bound of the wait before attempt {@code attempt} (1 = first retry). */
    public long ceiling(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 40);
        long ceiling = baseNanos << shift;
        return ceiling <= 0 || ceiling > capNanos ? capNanos : ceiling;
    }

    /** The jittered wait before attempt {@code attempt}. */
    public long delay(int attempt) {
        return jitter.applyAsLong(ceiling(attempt));
    }
}
