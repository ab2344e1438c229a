package io.github.sqsappender.core;

/**
 * Flushes several appenders within one overall timeout, as a Lambda handler needs before it
 * returns: each gets the time the ones before it left. Any thread.
 */
public final class FlushAll {

    /** Something that sends what it holds and waits up to a timeout for it to be delivered. */
    @FunctionalInterface
    public interface Flushable {
        /** @return true if everything held before the call was delivered */
        boolean flush(long timeoutMillis);
    }

    /**
     * A stage in front of the appenders that holds events they have not yet been given: an
     * asynchronous appender's queue, an asynchronous logger's ring buffer.
     */
    @FunctionalInterface
    public interface Upstream {
        /** True when the stage holds no event. Any thread; must not block. */
        boolean isEmpty();
    }

    /** How often a flush looks again at a stage that is not yet empty (none of them signals it). */
    private static final long UPSTREAM_POLL_NANOS = 1_000_000L;

    private FlushAll() {
    }

    /**
     * Flushes {@code targets} within {@code timeoutMillis} in all, after the {@code upstream}
     * stages in front of them have handed over what they held: waits until every stage is empty,
     * flushes, and does it again (up to {@value #ROUNDS} times in all) while the targets' appended
     * count ({@code appendedSoFar}) moved during the flush — a stage's worker may have taken its
     * last events just before it looked empty. Returns false, having flushed what did arrive, if
     * the stages do not empty in time.
     *
     * @return true if every target delivered everything the stages and the targets held
     */
    public static boolean within(Iterable<? extends Flushable> targets, Iterable<? extends Upstream> upstream,
                                 java.util.function.LongSupplier appendedSoFar, long timeoutMillis, Ticker ticker) {
        long deadline = deadline(ticker.read(), timeoutMillis);
        boolean delivered = true; // a round that failed (an event dropped, time out) is the answer
        for (int round = 0; round < ROUNDS; round++) {
            boolean drained = awaitEmpty(upstream, deadline, ticker);
            long before = appendedSoFar.getAsLong();
            delivered &= within(targets, Math.max(0, (deadline - ticker.read()) / 1_000_000L), ticker);
            if (!drained) {
                return false;
            }
            if (allEmpty(upstream) && appendedSoFar.getAsLong() == before) {
                return delivered;
            }
        }
        return delivered; // the application keeps logging: what it logged before the call is delivered
    }

    /**
     * {@code timeoutMillis} (at least 0) after {@code now}, in ticker time; a timeout beyond a
     * century ({@code Long.MAX_VALUE}: "as long as it takes") is a century, so the deadline does
     * not overflow into the past.
     */
    private static long deadline(long now, long timeoutMillis) {
        long century = java.util.concurrent.TimeUnit.DAYS.toNanos(36_525);
        return now + Math.min(century, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis)));
    }

    /** Flush rounds at most: events the application keeps logging must not hold a flush up to its timeout. */
    private static final int ROUNDS = 3;

    private static boolean awaitEmpty(Iterable<? extends Upstream> upstream, long deadline, Ticker ticker) {
        while (!allEmpty(upstream)) {
            if (ticker.read() - deadline >= 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(UPSTREAM_POLL_NANOS);
        }
        return true;
    }

    private static boolean allEmpty(Iterable<? extends Upstream> upstream) {
        for (Upstream stage : upstream) {
            if (!stage.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Flushes every target in turn within {@code timeoutMillis} in all, measured by {@code ticker}.
     *
     * @return true if every target delivered everything (also when there are none)
     */
    public static boolean within(Iterable<? extends Flushable> targets, long timeoutMillis, Ticker ticker) {
        long deadline = deadline(ticker.read(), timeoutMillis);
        boolean delivered = true;
        for (Flushable target : targets) {
            long leftMillis = Math.max(0, (deadline - ticker.read()) / 1_000_000L);
            delivered &= target.flush(leftMillis);
        }
        return delivered;
    }
}
