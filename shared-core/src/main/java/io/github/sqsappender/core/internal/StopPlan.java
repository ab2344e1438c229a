package io.github.sqsappender.core.internal;

/**
 * How a stop unfolds over {@code shutdownTimeoutMs}: from the request, what is held is
 * {@link Phase#DRAINING drained} to SQS; with an S3 fallback, the last
 * {@link #FALLBACK_SHARE_OF_STOP} of the time is the {@link Phase#CUT_OVER cut-over}, where
 * everything not yet delivered goes to the fallback instead; at the {@link Phase#DEADLINE deadline}
 * what is still held is given up.
 *
 * <p>{@link #request} from any thread; the rest on the dispatcher thread.
 */
final class StopPlan {

    /** The share of the stop's time kept for writing what is still undelivered to the S3 fallback. */
    static final double FALLBACK_SHARE_OF_STOP = 0.3;

    enum Phase {
        /** No stop was requested. */
        RUNNING,
        /** Deliver what is held, and finish when nothing is. */
        DRAINING,
        /** No new SQS requests: everything undelivered goes to the fallback. */
        CUT_OVER,
        /** Give up what is still held, and finish. */
        DEADLINE
    }

    private final boolean hasFallback;
    private volatile boolean requested;
    private volatile long deadline;
    private volatile long fallbackCutoff;
    private boolean cutOver; // dispatcher thread: once cut over, the stop stays cut over

    StopPlan(boolean hasFallback) {
        this.hasFallback = hasFallback;
    }

    /** Asks for a stop by {@code deadlineNanos}; idempotent, the earliest deadline wins. Any thread. */
    synchronized void request(long deadlineNanos, long now) {
        if (!requested || deadlineNanos - deadline < 0) {
            // With a fallback, the last part of the stop's time is kept for writing what is still
            // undelivered to S3; without one, SQS gets all of it.
            fallbackCutoff = deadlineNanos - (hasFallback ? (long) (Math.max(0, deadlineNanos - now) * FALLBACK_SHARE_OF_STOP) : 0);
            deadline = deadlineNanos;
        }
        requested = true;
    }

    /** The phase at {@code now}; read once per step. */
    Phase phase(long now) {
        if (!requested) {
            return Phase.RUNNING;
        }
        if (now - deadline >= 0) {
            return Phase.DEADLINE;
        }
        if (hasFallback && now - fallbackCutoff >= 0) {
            cutOver = true;
        }
        return cutOver ? Phase.CUT_OVER : Phase.DRAINING;
    }

    /** Nanoseconds until the next phase begins ({@link Dispatcher#UNTIL_WOKEN} while running). */
    long untilNextPhase(long now, Phase phase) {
        return switch (phase) {
            case RUNNING -> Dispatcher.UNTIL_WOKEN;
            case DRAINING -> Math.max(0, (hasFallback ? fallbackCutoff : deadline) - now);
            case CUT_OVER, DEADLINE -> Math.max(0, deadline - now);
        };
    }
}
