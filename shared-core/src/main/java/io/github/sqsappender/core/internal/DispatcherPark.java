package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.Ticker;

import java.util.concurrent.locks.LockSupport;

/**
 * What producers see of the dispatcher's park: how to wake it, and the time to stamp events with.
 *
 * <p>The wake-up is a count of queued items the dispatcher armed. One unpark per arming: until
 * the dispatcher runs and re-arms, every later producer would unpark it again (a lock and a signal
 * each), so the producer that wakes it disarms first. Disarming first cannot lose a wake-up: the
 * unpark follows it, so a dispatcher that re-armed meanwhile is unparked once more and arms again.
 *
 * <p>{@link #arrivalTime}, {@link #wake}, {@link #wakeOncePerArming}, {@link #wakeAtQueueSize} and
 * {@link #disarmAndWake}: any thread. {@link #stepStarted}, {@link #stampWithTheTicker},
 * {@link #arm} and {@link #bind}: the dispatcher's side.
 */
final class DispatcherPark {

    static final int DISARMED = Integer.MAX_VALUE;
    /** {@link #arrivalTime()} reads the ticker: the dispatcher idles until the next event, or has not run yet. */
    private static final long READ_THE_TICKER = Long.MIN_VALUE;

    private final Ticker ticker;
    private volatile Thread dispatcher;
    private volatile int threshold = DISARMED;
    private volatile long lastStepStart = READ_THE_TICKER;

    DispatcherPark(Ticker ticker) {
        this.ticker = ticker;
    }

    /**
     * The time to stamp an event arriving now with (ticker time). Any thread.
     *
     * <p>While the dispatcher works or waits for a deadline, this is the start of its latest step:
     * never later than the truth, so no event waits longer than its linger, and earlier by at most
     * one park, which lasts at most a linger (or the loop's one-second cap). While the dispatcher
     * idles until the next event, or parks until an unreachable queue's next lookup, it is the
     * ticker itself. Reading the clock for every event cost about as much as the rest of
     * enqueueing it on a virtual machine's clock source (kvm-clock: ~50 ns a read).
     */
    long arrivalTime() {
        long stepStart = lastStepStart;
        return stepStart != READ_THE_TICKER ? stepStart : ticker.read();
    }

    /** A dispatcher step begins at {@code now}: disarmed, and events are stamped with {@code now}. */
    void stepStarted(long now) {
        threshold = DISARMED;
        lastStepStart = now;
    }

    /** Until the next step, events are stamped with the ticker itself ({@link #arrivalTime}). */
    void stampWithTheTicker() {
        lastStepStart = READ_THE_TICKER;
    }

    /** Binds the dispatcher thread that producers unpark. */
    void bind(Thread thread) {
        this.dispatcher = thread;
    }

    /** Unparks the dispatcher, armed or not. */
    void wake() {
        Thread t = dispatcher;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Disarms and unparks the dispatcher, armed or not. */
    void disarmAndWake() {
        threshold = DISARMED;
        wake();
    }

    /** Unparks the dispatcher if it armed a wake-up, and disarms it. */
    void wakeOncePerArming() {
        if (threshold != DISARMED) {
            disarmAndWake();
        }
    }

    /** Unparks the dispatcher if it asked to be woken at {@code queueSize} items or fewer, and disarms it. */
    void wakeAtQueueSize(int queueSize) {
        if (queueSize >= threshold) {
            disarmAndWake();
        }
    }

    /** True while armed: a producer must then call {@link #wakeAtQueueSize} (the queue's size costs a read). */
    boolean isArmed() {
        return threshold != DISARMED;
    }

    /** Asks to be woken once the queue holds {@code items} (at least one). */
    void arm(int items) {
        threshold = Math.max(1, items);
    }

    /** The queue size at which producers wake the dispatcher; {@link #DISARMED} when disarmed. */
    int threshold() {
        return threshold;
    }
}
