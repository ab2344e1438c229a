package io.github.sqsappender.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The open batch: fills it with due retries first, then new messages, and says when it is due —
 * when it has {@code maxBatchSize} messages, when one more would pass SQS's 1 MiB request limit
 * (the message that did not fit is carried into the next batch), when its oldest event has
 * waited {@code lingerMs}, or at once when a flush or stop is pending.
 *
 * <p>On a FIFO queue three rules keep every message group in order:
 * <ul>
 *   <li>No new message is taken while a retry waits, so nothing overtakes it.</li>
 *   <li>A batch never holds two messages of one group. SQS settles each entry of a batch on its
 *       own: if an earlier entry of a group failed while a later one succeeded, the later one would
 *       already be in the queue, ahead of the retry.</li>
 *   <li>A message whose group is already in the open batch is deferred, and so is every later
 *       message of that group; deferred messages go first, in log order, into the next batches. So
 *       other groups still fill the batch. At most {@value #MAX_DEFERRED} are deferred; then the
 *       batch is sealed.</li>
 * </ul>
 * With packing a message is a whole pack of one group's events, so the rules cost little; without
 * it, each group gets one event per request.
 *
 * <p>Dispatcher thread only.
 */
final class BatchAssembler {

    /** FIFO: how many messages may wait behind a group already in the open batch. */
    static final int MAX_DEFERRED = 1_024;

    private final int maxBatchSize;
    private final long lingerNanos;
    private final boolean fifo;
    private final List<OutgoingMessage> open;
    private final Set<String> openGroups = new HashSet<>(); // FIFO: the message groups in the open batch
    private final ArrayDeque<OutgoingMessage> deferred = new ArrayDeque<>(); // FIFO, in log order
    private final Map<String, Integer> deferredPerGroup = new HashMap<>();
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
            if (fifo && next == freshCarry && mustWaitBehindItsGroup(next)) {
                if (deferred.size() >= MAX_DEFERRED) {
                    sealed = true;
                    return;
                }
                freshCarry = null;
                defer(next);
                continue;
            }
            if (fifo && next == retryCarry && openGroups.contains(next.wire().groupId())) {
                sealed = true; // cannot happen with one batch in flight; kept as a guard for order
                return;
            }
            take(next);
            add(next, now);
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
        OutgoingMessage waiting = fifo ? firstDeferredOutsideTheOpenBatch() : null;
        if (waiting != null) {
            return waiting;
        }
        if (freshCarry == null) {
            freshCarry = fresh.get();
        }
        return freshCarry;
    }

    /**
     * The earliest deferred message whose group is not in the open batch, or null. The earliest
     * deferred message of a group is always that group's next in log order.
     */
    private OutgoingMessage firstDeferredOutsideTheOpenBatch() {
        for (OutgoingMessage waiting : deferred) {
            if (!openGroups.contains(waiting.wire().groupId())) {
                return waiting;
            }
        }
        return null;
    }

    private boolean mustWaitBehindItsGroup(OutgoingMessage message) {
        String group = message.wire().groupId();
        return openGroups.contains(group) || deferredPerGroup.containsKey(group);
    }

    private void defer(OutgoingMessage message) {
        deferred.addLast(message);
        deferredPerGroup.merge(message.wire().groupId(), 1, Integer::sum);
    }

    private void take(OutgoingMessage next) {
        if (next == retryCarry) {
            retryCarry = null;
        } else if (next == freshCarry) {
            freshCarry = null;
        } else {
            deferred.remove(next); // the first of its group among the deferred
            deferredPerGroup.computeIfPresent(next.wire().groupId(), (group, n) -> n == 1 ? null : n - 1);
        }
    }

    private void add(OutgoingMessage next, long now) {
        open.add(next);
        if (fifo) {
            openGroups.add(next.wire().groupId());
        }
        openBytes += next.wireBytes();
        // A retry has already waited its linger and its backoff, a pack its own linger: due at once.
        long waitingSince = next.isDueAtOnce() ? now - lingerNanos : next.oldestEnqueuedAt();
        openOldest = Math.min(openOldest, waitingSince);
    }

    /** True when the open batch is empty and no taken message waits to be batched. */
    boolean isEmpty() {
        return open.isEmpty() && retryCarry == null && freshCarry == null && deferred.isEmpty();
    }

    /** True when the open batch holds at least one message (so {@link #lingerDeadline()} means something). */
    boolean hasOpenMessages() {
        return !open.isEmpty();
    }

    /** True when one more message may join the open batch: it is neither full nor sealed by size. */
    boolean takesMore() {
        return !sealed && open.size() < maxBatchSize;
    }

    /** Messages that still fit by count. */
    int room() {
        return maxBatchSize - open.size();
    }

    /** True when the open batch should be sent now; {@code urgent} while a flush or stop waits. */
    boolean isDue(long now, boolean urgent) {
        return !open.isEmpty() && (sealed || open.size() >= maxBatchSize || urgent || now - openOldest >= lingerNanos);
    }

    /** Ticker time at which the open batch's linger ends; only meaningful while it {@link #hasOpenMessages()}. */
    long lingerDeadline() {
        return openOldest + lingerNanos;
    }

    /** Closes the open batch into a {@link Batch} and starts a new, empty one. */
    Batch seal(long now) {
        Batch batch = Batch.of(open, now);
        open.clear();
        openGroups.clear();
        openBytes = 0;
        openOldest = Long.MAX_VALUE;
        sealed = false;
        return batch;
    }

    /**
     * Hands every message it holds (all in {@link Holding#ASSEMBLING}) to {@code sink}, in log order
     * as far as it knows it, and starts empty: the stop's cut-over to the fallback.
     */
    void drainTo(Offloader.MessageSink sink) {
        List<OutgoingMessage> all = new ArrayList<>(open);
        if (retryCarry != null) {
            all.add(retryCarry);
        }
        all.addAll(deferred);
        if (freshCarry != null) {
            all.add(freshCarry);
        }
        clear();
        for (OutgoingMessage message : all) {
            sink.accept(message, Holding.ASSEMBLING); // the fallback's accept never throws
        }
    }

    /** Forgets everything (the ledger has abandoned it). */
    void clear() {
        open.clear();
        openGroups.clear();
        deferred.clear();
        deferredPerGroup.clear();
        retryCarry = null;
        freshCarry = null;
        openBytes = 0;
        openOldest = Long.MAX_VALUE;
        sealed = false;
    }
}
