package io.github.sqsappender.core.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Application threads parked until the buffer has room ({@code overflowPolicy=block}). The
 * dispatcher unparks one waiter per event it settled, so a completion does not stampede every
 * blocked thread; a waiter re-checks at least every 10 ms even if it missed its wake-up.
 */
final class RoomWaiters {

    static final long MAX_PARK_NANOS = 10_000_000L;

    private final ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();

    /** Registers the current thread; any application thread. */
    void add(Thread self) {
        waiting.add(self);
    }

    /** Unregisters the current thread; any application thread. */
    void remove(Thread self) {
        waiting.remove(self);
    }

    /** Parks the current thread for at most {@code nanos}, capped; any application thread. */
    void park(Object blocker, long nanos) {
        LockSupport.parkNanos(blocker, Math.min(nanos, MAX_PARK_NANOS));
    }

    /** True while no thread waits for room; any thread. */
    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Unparks at most {@code limit} waiters; dispatcher thread. */
    void wake(int limit) {
        Thread waiter;
        for (int i = 0; i < limit && (waiter = waiting.poll()) != null; i++) {
            LockSupport.unpark(waiter);
        }
    }
}
