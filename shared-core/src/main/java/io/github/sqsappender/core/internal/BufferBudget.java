package io.github.sqsappender.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on what the appender holds — events buffered, batching, in flight and awaiting retry —
 * in events and in bytes, whichever is hit first. Both counts live in one {@link AtomicLong}
 * (events in the high 25 bits, bytes in the low 38), so acquiring is one CAS and the bound is
 * exact: it never overshoots, whatever SQS does.
 *
 * <p>Events that are not important (below WARN) may use only 90% of either bound, so WARN and
 * ERROR still fit when INFO floods the buffer.
 *
 * <p>{@link #tryAcquire} may be called from any thread; {@link #release} and {@link #shrink} by
 * whoever owns the event (the dispatcher thread).
 */
final class BufferBudget {

    private static final int BYTE_BITS = 38;
    private static final long BYTE_MASK = (1L << BYTE_BITS) - 1;
    private static final long ONE_EVENT = 1L << BYTE_BITS;
    /** The sign bit: set once the dispatcher has finished; no event is admitted after it. */
    private static final long CLOSED = Long.MIN_VALUE;

    private final AtomicLong state = new AtomicLong();
    private final long capacity;
    private final long maxBytes;
    private final long ordinaryCapacity;
    private final long ordinaryMaxBytes;

    BufferBudget(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.ordinaryCapacity = ordinaryShare(capacity);
        this.ordinaryMaxBytes = ordinaryShare(maxBytes);
    }

    /** Of a bound, the share events below WARN may use: 90%. */
    static long ordinaryShare(long bound) {
        return bound - bound / 10;
    }

    /** The largest event (in budget bytes) an empty buffer of {@code maxBytes} admits. */
    static long admissibleBytes(long maxBytes, boolean important) {
        return important ? maxBytes : ordinaryShare(maxBytes);
    }

    /** What {@link #admit} did with one event. */
    enum Admission {
        /** Either bound would be exceeded (or the budget is closed): the event is not held. */
        REFUSED,
        /** The event is held. */
        ADMITTED,
        /**
         * The event is held, and it took the budget past its high watermark: the one admission of a
         * filling spell that must make sure the dispatcher is awake ({@link #isAboveHighWatermark}).
         */
        ADMITTED_PAST_HIGH_WATERMARK
    }

    /**
     * Reserves room for one event of {@code bytes}. Never blocks.
     *
     * @return true if the event may be buffered; false if either bound would be exceeded
     */
    boolean tryAcquire(int bytes, boolean important) {
        return admit(bytes, important) != Admission.REFUSED;
    }

    /**
     * Reserves room for one event of {@code bytes}, and says whether it was this event that took the
     * budget past its high watermark. Never blocks; any thread.
     */
    Admission admit(int bytes, boolean important) {
        long eventLimit = important ? capacity : ordinaryCapacity;
        long byteLimit = important ? maxBytes : ordinaryMaxBytes;
        for (;;) {
            long current = state.get();
            if (current < 0) {
                return Admission.REFUSED; // closed; see isClosed()
            }
            long events = current >>> BYTE_BITS;
            long held = current & BYTE_MASK;
            if (events + 1 > eventLimit || held + bytes > byteLimit) {
                return Admission.REFUSED;
            }
            if (state.compareAndSet(current, current + ONE_EVENT + bytes)) {
                boolean wasAbove = events > capacity / 2 || held > maxBytes / 2;
                boolean isAbove = events + 1 > capacity / 2 || held + bytes > maxBytes / 2;
                return isAbove && !wasAbove ? Admission.ADMITTED_PAST_HIGH_WATERMARK : Admission.ADMITTED;
            }
        }
    }

    /** Returns the room of one finished event (delivered or dropped). */
    void release(int bytes) {
        state.addAndGet(-(ONE_EVENT + bytes));
    }

    /** Returns the room of {@code events} finished events holding {@code bytes} in total. */
    void release(int events, long bytes) {
        state.addAndGet(-(events * ONE_EVENT + bytes));
    }

    /** Holds {@code bytes} more for events already admitted, even past the bound (a pack's attributes). */
    void reserve(long bytes) {
        state.addAndGet(bytes);
    }

    /** Returns {@code bytes} of an event that was made smaller (truncated) but is still held. */
    void shrink(int bytes) {
        state.addAndGet(-bytes);
    }

    /**
     * Admits nothing from now on. Every event admitted before is, or is about to be, in the
     * queue: the caller drains until {@link #events()} reaches zero, so none is lost uncounted.
     */
    void close() {
        long current;
        do {
            current = state.get();
        } while (current >= 0 && !state.compareAndSet(current, current | CLOSED));
    }

    boolean isClosed() {
        return state.get() < 0;
    }

    /**
     * True when more than half of either bound is taken: the buffer is filling faster than it
     * drains, and waiting for a linger would only risk an overflow. Any thread.
     */
    boolean isAboveHighWatermark() {
        long current = state.get() & ~CLOSED;
        return (current >>> BYTE_BITS) > capacity / 2 || (current & BYTE_MASK) > maxBytes / 2;
    }

    long events() {
        return (state.get() & ~CLOSED) >>> BYTE_BITS;
    }

    long bytes() {
        return state.get() & BYTE_MASK;
    }
}
