package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.Ticker;
import io.github.sqsappender.core.WallClock;

import java.util.concurrent.locks.LockSupport;

/**
 * The dispatcher thread's loop: {@link Dispatcher#runOnce} until it finishes, parking for the wait
 * each step returns. A stage that throws is counted and reported, and the loop goes on after a
 * pause; an error the thread cannot survive ends it through {@link Dispatcher#died}.
 */
final class DispatcherLoop {

    private static final long MAX_PARK_NANOS = 1_000_000_000L; // even a missed wake-up costs at most 1 s
    private static final long STAGE_FAILURE_PAUSE_NANOS = 100_000_000L;

    private DispatcherLoop() {
    }

    /** Runs {@code dispatcher} on the current thread until it finishes. */
    static void run(Dispatcher dispatcher, Ticker ticker, MetricsRecorder metrics, RateLimitedStatus status, WallClock wallClock) {
        try {
            long wait;
            do {
                try {
                    wait = dispatcher.runOnce(ticker.read());
                } catch (RuntimeException | LinkageError e) {
                    // A bug in a stage must not end delivery: count it, report it, go on after a pause.
                    metrics.dispatcherError("unexpected failure in the dispatcher: " + e, wallClock.currentTimeMillis());
                    status.error("dispatcher", "sqs-appender: unexpected failure in the dispatcher, which goes on: " + e, e);
                    wait = STAGE_FAILURE_PAUSE_NANOS;
                }
                if (wait > 0) {
                    LockSupport.parkNanos(dispatcher, Math.min(wait, MAX_PARK_NANOS));
                }
            } while (wait != Dispatcher.FINISHED);
        } catch (Throwable fatal) { // e.g. OutOfMemoryError: this thread ends; say so and count what it held
            dispatcher.died(fatal);
        }
    }
}
