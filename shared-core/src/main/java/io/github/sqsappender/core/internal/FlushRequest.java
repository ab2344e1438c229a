package io.github.sqsappender.core.internal;

import java.util.concurrent.CompletableFuture;

/**
 * A marker put in the event queue by {@code flush}. Every event offered before it (by the same
 * thread, or by others that happened-before) is ahead of it in the queue; when the dispatcher
 * reaches the marker it counts how many of those it still holds and completes the request once
 * each has been delivered or given up.
 */
final class FlushRequest {

    final CompletableFuture<Boolean> done = new CompletableFuture<>();
    long lastSequence;
    int outstanding;
    boolean anyLost;
}
