package io.github.sqsappender.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts appends in progress so that a stop can wait for those that already passed the
 * framework's "is started" check. An adapter enters before that check and exits after the append;
 * its stop first marks the appender stopped (the framework's own flag), then
 * {@linkplain #awaitQuiet waits} for the count to reach zero, and only then stops the pipeline.
 * Because both sides use volatile writes and reads (the framework's flag, the counter's cells),
 * every append either sees the appender stopped or is waited for: none reaches a stopped
 * pipeline. {@link #enter}/{@link #exit}: any thread, two uncontended striped increments.
 */
public final class AppendGate {

    private final LongAdder inProgress = new LongAdder();

    /** Any thread: an append begins. */
    public void enter() {
        inProgress.increment();
    }

    /** Any thread: the append that {@link #enter entered} has ended (call in a finally block). */
    public void exit() {
        inProgress.decrement();
    }

    /**
     * Waits until no append other than {@code ownAppends} of the calling thread is in progress,
     * at most {@code timeoutMillis}. Lifecycle thread.
     *
     * @return true if the appends in progress all ended in time
     */
    public boolean awaitQuiet(int ownAppends, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (inProgress.sum() > ownAppends) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(100_000L); // appends take microseconds; poll gently
        }
        return true;
    }
}
