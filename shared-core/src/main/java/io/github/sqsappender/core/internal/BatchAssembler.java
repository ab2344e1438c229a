package io.github.sqsappender.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The open batch: fills it with due retries first, then new messages, and says when it is due —
 * when it has {@code maxBatchSize} messages, when one more would pass SQS's 1 MiB request limit
 * (the message that did not fit is carried into the next batch), when its oldest event has
 * waited {@code lingerMs}, or at once when a flush or stop is pending. On a FIFO queue no new
 * message is taken while a retry waits, so nothing overtakes it.
 *
 * <p>Dispatcher thread only.
 */
final class BatchAssembler {

    private final int maxBatchSize;
    private final long lingerNanos;
    private final boolean fifo;
    private final List<OutgoingMessage> open;
    private int openBytes;
    private long openOldest = Long.MAX_VALUE;
    private boolean sealed;
    private OutgoingMessage retryCarry; // a retry taken but not yet in a batch
    private OutgoingMessage freshCarry; // a new message taken but not yet in a batch

    BatchAssembler(int maxBatchSize, long lingerNanos, boolean fifo) {
        this.maxBatchSize = maxBatchSize;
        this.lingerNanos = lingerNanos;
        this.fifo = fifo;
        this.open = new ArrayList<>(maxBatchSize);
    }

    /**
     * Moves messages into the open batch until it is full, sealed by size, or nothing is ready.
     * A retry taken from {@code retries} moves back to {@link Holding#ASSEMBLING} in the ledger.
     */
    void fill(long now, RetryQueue retries, Supplier<OutgoingMessage> fresh, Ledger ledger) {
        while (!sealed && open.size() < maxBatchSize) {
            OutgoingMessage next = peekNext(now, retries, fresh, ledger);
            if (next == null) {
                return;
            }
            if (!open.isEmpty() && openBytes + next.wireBytes() > Batch.MAX_BATCH_BYTES) {
                sealed = true;
                return;
            }
            if (next == retryCarry) {
                retryCarry = null;
            } else {
                freshCarry = null;
            }
            open.add(next);
            openBytes += next.wireBytes();
            // A retry has already waited its linger and its backoff, a pack its own linger: due at once.
            long waitingSince = next.isDueAtOnce() ? now - lingerNanos : next.oldestEnqueuedAt();
            openOldest = Math.min(openOldest, waitingSince);
        }
    }

    private OutgoingMessage peekNext(long now, RetryQueue retries, Supplier<OutgoingMessage> fresh, Ledger ledger) {
        if (retryCarry != null) {
            return retryCarry;
        }
        OutgoingMessage retry = retries.pollDue(now);
        if (retry != null) {
            ledger.move(retry, Holding.AWAITING_RETRY, Holding.ASSEMBLING);
            retryCarry = retry;
            return retry;
        }
        if (fifo && !retries.isEmpty()) {
            return null; // FIFO: not even a message already taken may overtake a waiting retry
        }
        if (freshCarry == null) {
            freshCarry = fresh.get();
        }
        return freshCarry;
    }

    /** True when the open batch is empty and no taken message waits to be batched. */
    boolean isEmpty() {
        return open.isEmpty() && retryCarry == null && freshCarry == null;
    }

    /** Messages that still fit by count. */
    int room() {
        return maxBatchSize - open.size();
    }

    /** True when the open batch should be sent now; {@code urgent} while a flush or stop waits. */
    boolean isDue(long now, boolean urgent) {
        return !open.isEmpty() && (sealed || open.size() >= maxBatchSize || urgent || now - openOldest >= lingerNanos);
    }

    /** Ticker time at which the open batch's linger ends. */
    long lingerDeadline() {
        return openOldest + lingerNanos;
    }

    /** Closes the open batch into a {@link Batch} and starts a new, empty one. */
    Batch seal(long now) {
        Batch batch = Batch.of(open, now);
        open.clear();
        openBytes = 0;
        openOldest = Long.MAX_VALUE;
        sealed = false;
        return batch;
    }

    /** Forgets everything (the ledger has abandoned it). */
    void clear() {
        open.clear();
        retryCarry = null;
        freshCarry = null;
        openBytes = 0;
        openOldest = Long.MAX_VALUE;
        sealed = false;
    }
}
