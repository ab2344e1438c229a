package io.github.sqsappender.core.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A flush request on its way through the intake queue. Every event offered before the request
 * (by the same thread, or by others that happened-before) is ahead of the marker, so when the
 * dispatcher takes it, the events the flush waits for are exactly those the ledger holds at that
 * moment.
 *
 * <p>A marker may stand for several flush calls: calls made while every marker slot is taken
 * wait together behind the next marker the dispatcher enqueues (it covers everything they cover).
 */
final class FlushMarker implements IntakeItem {

    private final CompletableFuture<Boolean> done = new CompletableFuture<>();
    private final List<FlushMarker> riders;

    FlushMarker() {
        this.riders = List.of();
    }

    /** A marker that completes {@code riders} with its own outcome. */
    FlushMarker(List<FlushMarker> riders) {
        this.riders = List.copyOf(riders);
    }

    /** The caller's view: true once everything it covers was delivered, false if any was lost. */
    CompletableFuture<Boolean> future() {
        return done;
    }

    /** Completes this marker and those riding on it. Idempotent: the first outcome wins. */
    void complete(boolean delivered) {
        done.complete(delivered);
        for (FlushMarker rider : riders) {
            rider.complete(delivered);
        }
    }

    boolean isDone() {
        return done.isDone();
    }
}
