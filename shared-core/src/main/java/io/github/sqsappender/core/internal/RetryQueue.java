package io.github.sqsappender.core.internal;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Messages waiting for another attempt, earliest first (then in log order), each no longer than
 * {@code deliveryTimeoutMs} after its first send: a retry that would start later is refused, and
 * the caller gives the message up.
 *
 * <p>Dispatcher thread only.
 */
final class RetryQueue {

    private final long deliveryTimeoutNanos;
    private final PriorityQueue<OutgoingMessage> waiting = new PriorityQueue<>(
            Comparator.comparingLong(OutgoingMessage::notBefore).thenComparingLong(OutgoingMessage::firstSequence));

    RetryQueue(long deliveryTimeoutNanos) {
        this.deliveryTimeoutNanos = deliveryTimeoutNanos;
    }

    /**
     * Schedules {@code message} for another attempt at {@code notBefore} (ticker time).
     *
     * @return false if that is past the message's delivery timeout: it was not scheduled
     */
    boolean schedule(OutgoingMessage message, long notBefore) {
        if (notBefore - message.firstSentAt() > deliveryTimeoutNanos) {
            return false;
        }
        message.retryNotBefore(notBefore);
        waiting.add(message);
        return true;
    }

    /** The earliest message whose retry time has come, or null. */
    OutgoingMessage pollDue(long now) {
        OutgoingMessage first = waiting.peek();
        return first != null && first.notBefore() - now <= 0 ? waiting.poll() : null;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Ticker time of the earliest retry; only meaningful when not empty. */
    long nextDueAt() {
        OutgoingMessage first = waiting.peek();
        return first == null ? Long.MAX_VALUE : first.notBefore();
    }

    /** Removes and returns the earliest waiting message, due or not, or null; for the stop's cut-over. */
    OutgoingMessage pollAny() {
        return waiting.poll();
    }

    /** Forgets everything (the ledger has abandoned it). */
    void clear() {
        waiting.clear();
    }
}
