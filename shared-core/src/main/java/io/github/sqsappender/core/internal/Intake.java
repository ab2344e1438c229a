package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.DropReason;
import io.github.sqsappender.core.Ticker;
import org.jctools.queues.MpscGrowableArrayQueue;
import org.jctools.util.Pow2;

import java.util.concurrent.CompletableFuture;

/**
 * The door between the application threads and the dispatcher: a bounded lock-free JCTools
 * {@link MpscGrowableArrayQueue} of {@link IntakeItem}s (it starts small and doubles up to its bound,
 * so an idle appender with a large {@code bufferCapacity} does not hold a large array), the admission check against the
 * {@link BufferBudget}, a bounded number of flush markers, and the threads blocked waiting for room.
 *
 * <h2>Producer side (any thread)</h2>
 * {@link #offer}, {@link #offerWaiting} and {@link #requestFlush} never do I/O; {@code offer}
 * never blocks. Each admitted event has a queue slot: the queue holds {@code bufferCapacity}
 * events plus {@link #MARKER_SLOTS} markers, and a marker is enqueued only with a free marker
 * slot, so a flush storm can never take an event's slot. Flush calls made while all marker slots
 * are taken are deferred and ride on the next marker the dispatcher enqueues.
 *
 * <h2>Consumer side (the dispatcher thread only)</h2>
 * {@link #poll}, {@link #armWake}, {@link #stepStarted}, {@link #wakeBlockedProducers} and
 * {@link #close}. <b>WARNING:</b> polling from two threads corrupts the queue.
 */
public final class Intake {

    /** Flush markers that may be in the queue at once; further flushes ride on a later marker. */
    static final int MARKER_SLOTS = 64;
    private static final long MAX_IDLE_SPINS = 50_000_000L; // well over a second of spinning

    private static final int INITIAL_QUEUE_CAPACITY = 1_024;

    private final MpscGrowableArrayQueue<IntakeItem> queue;
    private final BufferBudget budget;
    private final MetricsRecorder metrics;
    private final Ticker ticker;
    private final FlushSlots flushes;
    private final RoomWaiters roomWaiters = new RoomWaiters();
    private final DispatcherPark park;
    private volatile boolean closed;
    private volatile DropReason closedReason = DropReason.SHUTDOWN;

    Intake(int bufferCapacity, BufferBudget budget, MetricsRecorder metrics, Ticker ticker) {
        int bound = bufferCapacity + MARKER_SLOTS;
        int max = Math.max(4, Pow2.roundToPowerOfTwo(bound));
        this.queue = new MpscGrowableArrayQueue<>(Math.min(INITIAL_QUEUE_CAPACITY, max / 2), max);
        this.flushes = new FlushSlots(queue);
        this.budget = budget;
        this.metrics = metrics;
        this.ticker = ticker;
        this.park = new DispatcherPark(ticker);
    }

    // ------------------------------------------------------------------ producer side

    /** The time to stamp an event arriving now with (ticker time; see {@link DispatcherPark#arrivalTime}). Any thread. */
    public long arrivalTime() {
        return park.arrivalTime();
    }

    /**
     * Admits one message if the budget has room. Any thread; never blocks, never throws.
     *
     * @return true if the message is now held or was counted (the caller must not count it);
     *         false if the buffer is full — the caller decides whether to wait or count an overflow
     */
    public boolean offer(IntakeEvent message) {
        if (closed) {
            metrics.dropped(closedReason);
            return true;
        }
        BufferBudget.Admission admission = budget.admit(message.budgetBytes(), message.important());
        if (admission == BufferBudget.Admission.REFUSED) {
            if (budget.isClosed()) {
                metrics.dropped(closedReason); // the dispatcher finished while we got here
                return true;
            }
            // Full, and the dispatcher may be parked until its count of events is reached, which
            // large events never reach. With events queued it has work that frees room: wake it,
            // once per arming. With none, everything is already its own (packs being written,
            // requests in flight, retries) and each of those wakes it when it ends: waking it for
            // every refused event would only make it spin.
            if (!queue.isEmpty()) {
                park.wakeOncePerArming();
            }
            return false;
        }
        if (!queue.offer(message)) {
            // Unreachable while the slot arithmetic holds; if it ever breaks, count, never lose.
            budget.release(message.budgetBytes());
            metrics.dropped(DropReason.OVERFLOW);
            return true;
        }
        if (admission == BufferBudget.Admission.ADMITTED_PAST_HIGH_WATERMARK) {
            // Half the buffer is taken, in events or in bytes, whatever the count the dispatcher
            // waits for: it must see the pressure now, not when the buffer is full.
            park.disarmAndWake();
        } else if (park.isArmed()) {
            park.wakeAtQueueSize(queue.size());
        }
        return true;
    }

    /**
     * Offers {@code message}, parking until room frees or {@code deadlineNanos} (ticker time)
     * passes — the {@code overflowPolicy=block} path. The dispatcher unparks one waiter per freed
     * event. An interrupted thread does not wait (its interrupt stays set). Any thread except the
     * dispatcher's own.
     *
     * @return true if the message is now held (or counted); false if the deadline passed first or
     *         the thread is interrupted
     */
    public boolean offerWaiting(IntakeEvent message, long deadlineNanos) {
        Thread self = Thread.currentThread();
        try {
            while (true) {
                if (offer(message)) {
                    return true;
                }
                long left = deadlineNanos - ticker.read();
                if (left <= 0 || self.isInterrupted()) { // an interrupted thread's park returns at once: no spinning
                    return false;
                }
                roomWaiters.add(self);
                if (offer(message)) { // room freed between the first try and registering
                    return true;
                }
                roomWaiters.park(this, left);
                roomWaiters.remove(self);
            }
        } finally {
            roomWaiters.remove(self);
        }
    }

    /**
     * Asks for everything offered before this call to be sent without waiting for the linger. Any
     * thread. The future completes with true once all of it was delivered, false if some of it
     * was lost; it never completes exceptionally. A caller that stops waiting may complete it
     * with false itself, which lets a deferred request be forgotten.
     */
    public CompletableFuture<Boolean> requestFlush() {
        FlushMarker marker = new FlushMarker();
        if (closed) {
            marker.complete(budget.events() == 0);
            return marker.future();
        }
        flushes.enqueueOrDefer(marker);
        if (closed) {
            marker.complete(false); // the dispatcher finished while we enqueued: nobody will take it
        }
        wake();
        return marker.future();
    }

    /** True while a flush waits to be taken by the dispatcher (queued or deferred). */
    boolean hasPendingFlush() {
        return flushes.hasPending();
    }

    /**
     * True when the buffer is under pressure: a producer is blocked waiting for room, or more than
     * half of it is taken. Then everything assembled is due at once, whatever the linger (the rule
     * of Kafka's {@code RecordAccumulator.ready()}: a waiting linger only helps while there is room).
     */
    boolean isUnderPressure() {
        return !roomWaiters.isEmpty() || budget.isAboveHighWatermark();
    }

    /** Flush requests waiting for a marker slot. */
    int deferredFlushCount() {
        return flushes.deferredCount();
    }

    /** True once the dispatcher has finished: nothing more is admitted. */
    boolean isClosed() {
        return closed;
    }

    /** Binds the dispatcher thread that producers unpark. */
    void bindDispatcher(Thread thread) {
        park.bind(thread);
    }

    /** Unparks the dispatcher. Any thread. */
    void wake() {
        park.wake();
    }

    // ------------------------------------------------------------------ consumer side

    /**
     * Takes the next item, or null if the queue is empty. A marker taken frees its slot, and
     * deferred flushes then get a marker of their own behind everything offered so far.
     */
    IntakeItem poll() {
        IntakeItem item = queue.poll();
        if (item instanceof FlushMarker) {
            flushes.taken();
            flushes.enqueueDeferred();
        } else if (item == null && flushes.enqueueDeferred()) {
            // The deferred flushes' marker, or an event offered just before it.
            item = queue.poll();
            if (item instanceof FlushMarker) {
                flushes.taken();
            }
        }
        return item;
    }

    /** The next item without taking it, or null; for deciding whether the head has waited too long. */
    IntakeItem peek() {
        return queue.peek();
    }

    /** Events and markers waiting in the queue. */
    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Asks producers to unpark the dispatcher once the queue holds {@code threshold} items, and
     * returns false if it already does (a producer may have raced the arming).
     */
    boolean armWake(int threshold) {
        if (threshold <= 1) {
            stampWithTheTicker(); // idle until the next event: its linger starts when it arrives
        }
        park.arm(threshold);
        return queue.size() < park.threshold();
    }

    /**
     * Until the next step, producers stamp events with the ticker itself, not the step's start:
     * the dispatcher may park longer than a stamp may be early (an unreachable queue's events
     * expire from their stamps).
     */
    void stampWithTheTicker() {
        park.stampWithTheTicker();
    }

    /** The queue size at which producers wake the dispatcher; {@code Integer.MAX_VALUE} when disarmed. */
    int wakeThreshold() {
        return park.threshold();
    }

    /**
     * A dispatcher step begins at {@code now}: producers stop waking it, and stamp new events with
     * {@code now} until it idles again ({@link #arrivalTime}).
     */
    void stepStarted(long now) {
        park.stepStarted(now);
    }

    /** Unparks at most {@code limit} producers waiting for room (one per freed event: no stampede). */
    void wakeBlockedProducers(int limit) {
        roomWaiters.wake(limit);
    }

    /**
     * Admits nothing more and empties the queue: every event admitted before the close is handed
     * to {@code ledger} as dropped for {@code reason} (and so is every later offer), including one whose producer passed the
     * admission check and is still enqueuing it; every marker completes with false. Returns when
     * the budget holds only what the ledger still holds.
     */
    void close(Ledger ledger, DropReason reason) {
        closedReason = reason;
        closed = true;
        budget.close();
        long idleSpins = 0;
        while (budget.events() > ledger.heldEvents() || !queue.isEmpty()) {
            IntakeItem item = queue.poll();
            if (item == null) {
                // A producer between its admission and its enqueue is instructions away; one that
                // never gets there (its thread died in between) must not hang the stop.
                if (++idleSpins > MAX_IDLE_SPINS) {
                    ledger.droppedNeverEnqueued(budget.events() - ledger.heldEvents(), reason);
                    break;
                }
                Thread.onSpinWait();
            } else if (item instanceof IntakeEvent message) {
                ledger.droppedUnadmitted(message, reason);
            } else {
                flushes.taken();
                ((FlushMarker) item).complete(false);
            }
        }
        flushes.failDeferred();
        wakeBlockedProducers(Integer.MAX_VALUE);
    }
}
