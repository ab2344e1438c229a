package io.github.sqsappender.core;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What {@link SqsPipeline#flush} answers: true only if everything appended before the call was
 * delivered in time and nothing was dropped, for any reason, since the previous flush (or the
 * start). Any thread.
 */
final class FlushOutcomes {

    /** The pipeline's count of events dropped so far, for any reason; it only grows. */
    private final LongSupplier droppedSoFar;
    /** The highest dropped count an answer has seen; it only grows. */
    private final AtomicLong droppedAtLastAnswer = new AtomicLong();

    FlushOutcomes(LongSupplier droppedSoFar) {
        this.droppedSoFar = droppedSoFar;
    }

    /**
     * Waits at most {@code timeoutMillis} for a flush request's outcome, then completes it with
     * false: a request no longer waited for may be forgotten by the dispatcher.
     *
     * @return true if the request completed in time with everything delivered
     */
    static boolean await(CompletableFuture<Boolean> request, long timeoutMillis) {
        try {
            return request.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            return false; // timed out (a flush request is only ever completed, with true or false)
        } finally {
            request.complete(false);
        }
    }

    /**
     * The flush's answer: {@code delivered}, and no event dropped since the previous answer.
     * Starts the next interval. Concurrent answers share one baseline that only moves forward: an
     * answer that read the count before another never sets the baseline back, which would make
     * the next answer report drops the other one already reported.
     */
    boolean answer(boolean delivered) {
        long droppedNow = droppedSoFar.getAsLong();
        long droppedBefore = droppedAtLastAnswer.getAndAccumulate(droppedNow, Math::max);
        return delivered && droppedNow <= droppedBefore;
    }
}
