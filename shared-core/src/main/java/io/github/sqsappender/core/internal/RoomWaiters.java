package io.github.sqsappender.core.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Application threads parked until the buffer has room ({@code overflowPolicy=block}). The
 * dispatcher unparks one waiter per event it settled, so a completion does not stampede every
 * blocked thread, and only threads that were waiting when it began: a woken thread that finds the
 * buffer full again waits for the next completion instead of being woken again at once. A waiter
 * re-checks at least every 10 ms even if it missed its wake-up.
 */
final class RoomWaiters {

    static final long MAX_PARK_NANOS = 10_000_000L;

    private final ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();
    private final Consumer<Thread> unpark;

    RoomWaiters() {
        this(LockSupport::unpark);
    }

    /** @param unpark how a waiter is woken (tests see who is woken, and when) */
    RoomWaiters(Consumer<Thread> unpark) {
        this.unpark = unpark;
    }

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

    /**
     * Unparks at most {@code limit} of the threads waiting now; dispatcher thread. A thread woken
     * here runs at once on another core, and if the room is taken again it registers again; were
     * those counted, one completion would wake the same few threads thousands of times over, each
     * time a futex call and two context switches (measured: 98,000 wake-ups for 576 completions).
     */
    void wake(int limit) {
        if (limit <= 0) {
            return;
        }
        int waitingNow = waiting.size(); // a walk of a queue no longer than the application's threads
        Thread waiter;
        for (int i = Math.min(limit, waitingNow); i > 0 && (waiter = waiting.poll()) != null; i--) {
            unpark.accept(waiter);
        }
    }
}
