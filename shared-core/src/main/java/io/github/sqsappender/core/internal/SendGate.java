package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.Backoff;

/**
 * Whether requests may be sent now. A retryable whole-request failure (outage, throttling)
 * affects the whole queue, so it pauses every send for a backoff that grows with consecutive
 * failures; requests already in flight when the pause was raised fail for the same reason, so
 * only a request sent after the last escalation raises it again (eight concurrent failures from
 * one outage count as one). A response resets it. Also gives the backoff for entry-level retries.
 *
 * <p>Dispatcher thread only.
 */
final class SendGate {

    private final Backoff backoff;
    private long pausedUntil;
    private long lastEscalationAt;
    private int consecutiveFailures;

    SendGate(Backoff backoff, long now) {
        this.backoff = backoff;
        // Deadlines compare by subtraction (nanoTime may be negative): start them at "now".
        this.pausedUntil = now;
        this.lastEscalationAt = now;
    }

    boolean isOpen(long now) {
        return now - pausedUntil >= 0;
    }

    /** Ticker time at which sends resume. */
    long reopensAt() {
        return pausedUntil;
    }

    /** SQS answered a request: the queue works. */
    void onResponse() {
        consecutiveFailures = 0;
    }

    /**
     * A request sent at {@code sentAt} failed retryably at {@code now}.
     *
     * @return ticker time at which sends (and its messages' retries) resume
     */
    long onRetryableFailure(long sentAt, long now) {
        if (sentAt - lastEscalationAt >= 0) {
            consecutiveFailures++;
            lastEscalationAt = now;
            pausedUntil = now + backoff.delayNanos(consecutiveFailures);
        }
        return pausedUntil;
    }

    /** Ticker time for the next attempt of entries that failed individually after {@code attempts} tries. */
    long entryRetryAt(int attempts, long now) {
        return now + backoff.delayNanos(attempts);
    }
}
