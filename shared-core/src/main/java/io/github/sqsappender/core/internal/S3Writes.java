package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.S3Put;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.Backoff;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The retrying S3-put lifecycle that offload and fallback share: writes wait in order, at most
 * {@code maxConcurrent} run at once, a failed one is retried with the pipeline's backoff, under the
 * same key, until {@code deliveryTimeoutMs} after its first attempt, and then it is given up. The
 * stage that owns the items ({@link Client}) builds each one's put on its first attempt and decides
 * what success, a retry and giving up mean for it.
 *
 * <p>Dispatcher thread only, except the put callbacks, which only enqueue and wake it.
 *
 * @param <T> what a write carries for its stage (an event, an object's events)
 */
final class S3Writes<T> {

    /** What one stage does with its writes. Called on the dispatcher thread. */
    interface Client<T> {
        /** The put for {@code item}, built on its first attempt (so its bytes are held only from then). */
        S3Put firstAttempt(T item);

        /** S3 stored {@code item}'s object, whose first attempt started at {@code firstAttemptAt}. */
        void stored(T item, long firstAttemptAt, long now);

        /** A retryable failure; the write is tried again at {@code retryAt}. */
        void retrying(T item, S3Put put, SendFailure failure);

        /** The write is given up: S3 refused it, or retrying would pass {@code deliveryTimeoutMs}. */
        void gaveUp(T item, S3Put put, SendFailure failure, int attempts, long now);
    }

    private final S3Store store;
    private final int maxConcurrent;
    private final long deliveryTimeoutNanos;
    private final Backoff backoff;
    private final Runnable wake;
    private final Client<T> client;
    private final List<Write<T>> pending = new ArrayList<>(); // in order
    private final ConcurrentLinkedQueue<Completion<T>> completed = new ConcurrentLinkedQueue<>();
    private int running;

    private static final class Write<T> {
        final T item;
        S3Put put;
        int attempts;
        long firstAttemptAt;
        long notBefore;
        boolean running;
        boolean abandoned; // taken back while running: its completion is ignored

        Write(T item, long now) {
            this.item = item;
            this.notBefore = now;
        }
    }

    private record Completion<T>(Write<T> write, Throwable failure) {
    }

    S3Writes(S3Store store, int maxConcurrent, long deliveryTimeoutNanos, Backoff backoff, Runnable wake, Client<T> client) {
        this.store = store;
        this.maxConcurrent = maxConcurrent;
        this.deliveryTimeoutNanos = deliveryTimeoutNanos;
        this.backoff = backoff;
        this.wake = wake;
        this.client = client;
    }

    /** Queues a write of {@code item}, due now. */
    void add(T item, long now) {
        pending.add(new Write<>(item, now));
    }

    /** Settles finished writes and starts those that are due, within the concurrency limit. */
    void poll(long now) {
        settle(now);
        for (int i = 0; i < pending.size() && running < maxConcurrent; i++) {
            Write<T> write = pending.get(i);
            if (!write.running && write.notBefore - now <= 0) {
                start(write, now);
            }
        }
    }

    /** Settles finished writes only (starts nothing): for the stop's deadline and cut-over. */
    void settle(long now) {
        Completion<T> done;
        while ((done = completed.poll()) != null) {
            running--;
            Write<T> write = done.write;
            write.running = false;
            if (write.abandoned) {
                continue; // its item was taken back; the object, if written, is an orphan
            }
            if (done.failure == null) {
                pending.remove(write);
                client.stored(write.item, write.firstAttemptAt, now);
            } else {
                failed(write, InFlightRequests.unwrap(done.failure), now);
            }
        }
    }

    private void start(Write<T> write, long now) {
        if (write.attempts == 0) {
            write.firstAttemptAt = now;
            write.put = client.firstAttempt(write.item);
        }
        write.attempts++;
        write.running = true;
        running++;
        CompletableFuture<Void> future;
        try {
            future = store.put(write.put);
            if (future == null) {
                future = CompletableFuture.failedFuture(new IllegalStateException("the S3 store returned no future"));
            }
        } catch (RuntimeException | LinkageError e) { // e.g. an s3 module of another SDK version
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((ignored, failure) -> {
            completed.add(new Completion<>(write, failure));
            wake.run();
        });
    }

    private void failed(Write<T> write, SendFailure failure, long now) {
        long retryAt = now + backoff.delayNanos(write.attempts);
        if (failure.retryable() && retryAt - write.firstAttemptAt <= deliveryTimeoutNanos) {
            write.notBefore = retryAt;
            client.retrying(write.item, write.put, failure);
            return;
        }
        pending.remove(write);
        client.gaveUp(write.item, write.put, failure, write.attempts, now);
    }

    /**
     * Nanoseconds until a waiting write may start; {@link Dispatcher#UNTIL_WOKEN} otherwise (a
     * finished write wakes the dispatcher itself).
     */
    long untilNextDue(long now) {
        long wait = Dispatcher.UNTIL_WOKEN;
        if (running < maxConcurrent) {
            for (Write<T> write : pending) {
                if (!write.running) {
                    wait = Math.min(wait, Math.max(0, write.notBefore - now));
                }
            }
        }
        return wait;
    }

    /** True while a write waits or runs. */
    boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * Takes the first write back, or returns null: a running one is abandoned (its late completion
     * is ignored), so a slow write cannot keep its item. One at a time, so that nothing is
     * forgotten if the caller fails with the rest still here.
     */
    T takeNext() {
        if (pending.isEmpty()) {
            return null;
        }
        Write<T> write = pending.remove(0);
        write.abandoned = true;
        return write.item;
    }

    /** Forgets everything (the ledger has abandoned it). */
    void clear() {
        pending.clear();
    }
}
