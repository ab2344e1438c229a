package io.github.sqsappender.core.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The flushes the dispatcher has taken from the intake and not yet completed. A flush waits for
 * the events the ledger held when its marker was taken (sequence numbers up to the last one
 * assigned then), and completes once each of them has left the ledger: with true if all were
 * delivered, false if any was lost. Dispatcher thread only; owned by the {@link Ledger}.
 */
final class FlushTracker {

    private static final class Active {
        final FlushMarker marker;
        final long lastSequence;
        long outstanding;
        boolean anyLost;

        Active(FlushMarker marker, long lastSequence, long outstanding) {
            this.marker = marker;
            this.lastSequence = lastSequence;
            this.outstanding = outstanding;
        }
    }

    private final List<Active> active = new ArrayList<>();
    private final Runnable beforeCompleting;

    /**
     * @param beforeCompleting runs before any flush completes: the ledger returns the room of what
     *        settled to the budget first, so a caller woken by its flush reads no stale gauge
     */
    FlushTracker(Runnable beforeCompleting) {
        this.beforeCompleting = beforeCompleting;
    }

    /** Starts tracking {@code marker}, waiting for {@code held} events numbered up to {@code lastSequence}. */
    void register(FlushMarker marker, long lastSequence, long held) {
        if (held == 0) {
            marker.complete(true);
        } else {
            active.add(new Active(marker, lastSequence, held));
        }
    }

    /** Counts {@code message}'s events as left the ledger, delivered or not. */
    void settled(OutgoingMessage message, boolean delivered) {
        if (active.isEmpty()) {
            return;
        }
        Iterator<Active> it = active.iterator();
        while (it.hasNext()) {
            Active flush = it.next();
            int covered = message.eventsUpTo(flush.lastSequence);
            if (covered == 0) {
                continue;
            }
            flush.anyLost |= !delivered;
            flush.outstanding -= covered;
            if (flush.outstanding <= 0) {
                beforeCompleting.run();
                flush.marker.complete(!flush.anyLost);
                it.remove();
            }
        }
    }

    /** Counts one event that never became a message (dropped on assembly) as lost. */
    void settledUnassembled(long sequence) {
        Iterator<Active> it = active.iterator();
        while (it.hasNext()) {
            Active flush = it.next();
            if (sequence <= flush.lastSequence) {
                flush.anyLost = true;
                if (--flush.outstanding <= 0) {
                    beforeCompleting.run();
                    flush.marker.complete(false);
                    it.remove();
                }
            }
        }
    }

    boolean isEmpty() {
        return active.isEmpty();
    }

    /** Completes every tracked flush with false (the stop deadline passed or the dispatcher ended). */
    void failAll() {
        for (Active flush : active) {
            flush.marker.complete(false);
        }
        active.clear();
    }
}
