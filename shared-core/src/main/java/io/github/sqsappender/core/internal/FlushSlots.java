package io.github.sqsappender.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The flush markers in the intake's queue: at most {@link Intake#MARKER_SLOTS} at once, so a flush
 * storm can never take an event's slot. A flush asked for while every slot is taken is deferred,
 * and rides on the next marker the dispatcher enqueues when it takes one. Producers call
 * {@link #enqueueOrDefer}; the rest is the dispatcher's.
 */
final class FlushSlots {

    private final Queue<IntakeItem> queue;
    private final AtomicInteger markersQueued = new AtomicInteger();
    private final ConcurrentLinkedQueue<FlushMarker> deferred = new ConcurrentLinkedQueue<>();

    FlushSlots(Queue<IntakeItem> queue) {
        this.queue = queue;
    }

    /** Puts {@code marker} in the queue if a slot is free, else defers it. Any thread. */
    void enqueueOrDefer(FlushMarker marker) {
        if (!tryEnqueue(marker)) {
            deferred.removeIf(FlushMarker::isDone); // callers that gave up: bounded by live callers
            deferred.add(marker);
        }
    }

    private boolean tryEnqueue(FlushMarker marker) {
        if (markersQueued.incrementAndGet() > Intake.MARKER_SLOTS) {
            markersQueued.decrementAndGet();
            return false;
        }
        if (!queue.offer(marker)) {
            markersQueued.decrementAndGet();
            return false;
        }
        return true;
    }

    /** The dispatcher took a marker from the queue: its slot is free. */
    void taken() {
        markersQueued.decrementAndGet();
    }

    /** Puts one marker for all deferred flushes in the queue; true if it did. */
    boolean enqueueDeferred() {
        if (deferred.isEmpty()) {
            return false;
        }
        List<FlushMarker> riders = new ArrayList<>();
        FlushMarker rider;
        while ((rider = deferred.poll()) != null) {
            if (!rider.isDone()) {
                riders.add(rider);
            }
        }
        if (riders.isEmpty()) {
            return false;
        }
        if (!tryEnqueue(new FlushMarker(riders))) {
            deferred.addAll(riders); // every slot taken again: the next poll retries
            return false;
        }
        return true;
    }

    /** True while a flush waits to be taken by the dispatcher (queued or deferred). */
    boolean hasPending() {
        return markersQueued.get() > 0 || !deferred.isEmpty();
    }

    /** Flush requests waiting for a marker slot. */
    int deferredCount() {
        return deferred.size();
    }

    /** At the close: every deferred flush fails. */
    void failDeferred() {
        FlushMarker marker;
        while ((marker = deferred.poll()) != null) {
            marker.complete(false);
        }
    }
}
