package io.github.sqsappender.core.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * How producers wake a parked dispatcher: the thread to unpark and the wake-up it armed, a count of
 * queued items. One unpark per arming: until the dispatcher runs and re-arms, every later producer
 * would unpark it again (a lock and a signal each), so the producer that wakes it disarms first.
 * Disarming first cannot lose a wake-up: the unpark follows it, so a dispatcher that re-armed
 * meanwhile is unparked once more and arms again.
 *
 * <p>{@link #now}, {@link #oncePerArming}, {@link #atQueueSize} and {@link #disarmAndWake}: any
 * thread. {@link #arm}, {@link #disarm} and {@link #bind}: the dispatcher's side.
 */
final class DispatcherWakeUp {

    static final int DISARMED = Integer.MAX_VALUE;

    private volatile Thread dispatcher;
    private volatile int threshold = DISARMED;

    /** Binds the dispatcher thread that producers unpark. */
    void bind(Thread thread) {
        this.dispatcher = thread;
    }

    /** Unparks the dispatcher, armed or not. */
    void now() {
        Thread t = dispatcher;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Disarms and unparks the dispatcher, armed or not. */
    void disarmAndWake() {
        threshold = DISARMED;
        now();
    }

    /** Unparks the dispatcher if it armed a wake-up, and disarms it. */
    void oncePerArming() {
        if (threshold != DISARMED) {
            disarmAndWake();
        }
    }

    /** Unparks the dispatcher if it asked to be woken at {@code queueSize} items or fewer, and disarms it. */
    void atQueueSize(int queueSize) {
        if (queueSize >= threshold) {
            disarmAndWake();
        }
    }

    /** True while armed: a producer must then call {@link #atQueueSize} (the queue's size costs a read). */
    boolean isArmed() {
        return threshold != DISARMED;
    }

    /** Asks to be woken once the queue holds {@code items} (at least one). */
    void arm(int items) {
        threshold = Math.max(1, items);
    }

    void disarm() {
        threshold = DISARMED;
    }

    /** The queue size at which producers wake the dispatcher; {@link #DISARMED} when disarmed. */
    int threshold() {
        return threshold;
    }
}
