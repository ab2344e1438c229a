package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.DropReason;

/**
 * The one account of every event the dispatcher has taken from the intake: how many are held, and
 * in which {@link Holding} state, and the single exit through which each leaves — delivered, sent
 * to the fallback, or dropped with a reason. It releases their buffer room, wakes blocked producers through the
 * freed count, and completes flushes; "is anything still held?" (for flush, stop, the
 * stop-deadline abandon and the final sweep) is answered here and nowhere else.
 *
 * <p>A message that carries N events settles N events. Events refused before admission (empty,
 * oversize on the caller's thread, overflow) never reach the ledger; they are counted where they
 * are refused.
 *
 * <p>Dispatcher thread only, except the gauges read through the budget.
 */
final class Ledger {

    private static final int STATES = Holding.values().length;

    private final BufferBudget budget;
    private final MetricsRecorder metrics;
    private final FlushTracker flushes = new FlushTracker(this::releaseSettled);
    private final long[] events = new long[STATES];
    private final long[] bytes = new long[STATES];
    private long nextSequence;
    private int releaseEvents;
    private long releaseBytes;
    private int freed;

    Ledger(BufferBudget budget, MetricsRecorder metrics) {
        this.budget = budget;
        this.metrics = metrics;
    }

    /** Takes an event from the intake into {@link Holding#ASSEMBLING}; returns its sequence number. */
    long admit(IntakeEvent event) {
        add(Holding.ASSEMBLING, 1, event.budgetBytes());
        return nextSequence++;
    }

    /** A held event became {@code bytes} smaller (truncated to the queue's limit) and stays held. */
    void shrink(Holding state, int bytes) {
        this.bytes[state.ordinal()] -= bytes;
        budget.shrink(bytes);
    }

    /**
     * Charges {@code bytes} more to events held in {@code state} (a packed message's attributes
     * where they outweigh its events' own room). Returned with the message when it settles.
     */
    void reserve(Holding state, long bytes) {
        this.bytes[state.ordinal()] += bytes;
        budget.reserve(bytes);
    }

    /** Moves a message's events from one state to another. */
    void move(OutgoingMessage message, Holding from, Holding to) {
        add(from, -message.eventCount(), -message.heldBytes());
        add(to, message.eventCount(), message.heldBytes());
    }

    /** SQS acknowledged {@code message}: its events leave as sent. */
    void delivered(OutgoingMessage message, Holding from) {
        metrics.sent(message.eventCount(), message.wireBytes());
        if (message.content() == OutgoingMessage.Content.POINTER) {
            metrics.offloaded();
        }
        settle(message, from, true);
    }

    /**
     * {@code message}'s events are in a fallback object S3 has stored: they leave as sent to the
     * fallback. For a flush they count as not delivered (they did not reach the queue).
     */
    void sentToFallback(OutgoingMessage message, Holding from) {
        metrics.sentToFallback(message.eventCount());
        settle(message, from, false);
    }

    /** {@code message} will not be delivered: its events leave as dropped for {@code reason}. */
    void dropped(OutgoingMessage message, Holding from, DropReason reason) {
        metrics.dropped(reason, message.eventCount());
        settle(message, from, false);
    }

    /** An admitted event that never became a message (too large for the queue): dropped. */
    void droppedOnAssembly(IntakeEvent event, long sequence, DropReason reason) {
        metrics.dropped(reason);
        add(Holding.ASSEMBLING, -1, -event.budgetBytes());
        release(1, event.budgetBytes());
        flushes.settledUnassembled(sequence);
    }

    /** An event still in the intake when the dispatcher finished: dropped, its room returned now. */
    void droppedUnadmitted(IntakeEvent event, DropReason reason) {
        metrics.dropped(reason);
        budget.release(event.budgetBytes());
    }

    /**
     * Events admitted by the budget whose producer never enqueued them (its thread died in
     * between): counted as dropped and their room returned, so a stop can finish.
     */
    void droppedNeverEnqueued(long events, DropReason reason) {
        if (events > 0) {
            metrics.dropped(reason, events);
            budget.release((int) events, budget.bytes() - heldBytesTotal());
        }
    }

    private long heldBytesTotal() {
        long n = 0;
        for (long b : bytes) {
            n += b;
        }
        return n;
    }

    private void settle(OutgoingMessage message, Holding from, boolean delivered) {
        add(from, -message.eventCount(), -message.heldBytes());
        release(message.eventCount(), message.heldBytes());
        flushes.settled(message, delivered);
    }

    private void add(Holding state, long eventDelta, long byteDelta) {
        events[state.ordinal()] += eventDelta;
        bytes[state.ordinal()] += byteDelta;
    }

    private void release(int eventCount, long byteCount) {
        // Returned to the budget in bulk by releaseSettled(): one atomic add per step instead of
        // per event keeps the budget's cache line away from the producers' CAS.
        releaseEvents += eventCount;
        releaseBytes += byteCount;
        freed += eventCount;
    }

    /** Returns the room of everything settled since the last call to the budget, in one atomic add. */
    void releaseSettled() {
        if (releaseEvents > 0 || releaseBytes > 0) {
            budget.release(releaseEvents, releaseBytes);
            releaseEvents = 0;
            releaseBytes = 0;
        }
    }

    /** Events settled since the last call (how many blocked producers may be woken). */
    int takeFreed() {
        int n = freed;
        freed = 0;
        return n;
    }

    /** Starts tracking a flush: it covers every event held right now. */
    void registerFlush(FlushMarker marker) {
        flushes.register(marker, nextSequence - 1, heldEvents());
    }

    boolean hasActiveFlushes() {
        return !flushes.isEmpty();
    }

    /** Events held by the dispatcher, in every state. */
    long heldEvents() {
        long n = 0;
        for (long e : events) {
            n += e;
        }
        return n;
    }

    long heldEvents(Holding state) {
        return events[state.ordinal()];
    }

    long heldBytes(Holding state) {
        return bytes[state.ordinal()];
    }

    /**
     * At the stop deadline ({@code shutdown}) or when the dispatcher dies ({@code undeliverable}):
     * every held event leaves as dropped for {@code reason}, whatever stage holds it, and every
     * tracked flush fails. The stages then only clear their references.
     *
     * @return the number of events abandoned
     */
    long abandonAll(DropReason reason) {
        long lostEvents = 0;
        long lostBytes = 0;
        for (int i = 0; i < STATES; i++) {
            lostEvents += events[i];
            lostBytes += bytes[i];
            events[i] = 0;
            bytes[i] = 0;
        }
        metrics.dropped(reason, lostEvents);
        releaseEvents += (int) lostEvents;
        releaseBytes += lostBytes;
        releaseSettled();
        flushes.failAll();
        return lostEvents;
    }

    /** Fails the flushes still tracked; for the end of the dispatcher. */
    void failFlushes() {
        flushes.failAll();
    }
}
