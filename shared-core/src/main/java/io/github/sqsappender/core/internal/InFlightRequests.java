package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * The SendMessageBatch requests on the wire, at most {@code capacity} at once. A request's
 * completion arrives on an SDK I/O thread, which only queues it and wakes the dispatcher; the
 * dispatcher takes completions on its own thread with {@link #takeCompleted()}.
 *
 * <p>Dispatcher thread only, except the gauge ({@link #size()} is safe from any thread).
 */
final class InFlightRequests {

    /** A request's outcome: a response (entries may still have failed) or a whole-request failure. */
    record Completed(Batch batch, SqsSender.BatchResult result, SendFailure failure) {
    }

    private static final class Request {
        final Batch batch;
        volatile SqsSender.BatchResult result;
        volatile SendFailure failure;

        Request(Batch batch) {
            this.batch = batch;
        }
    }

    private final int capacity;
    private final Set<Request> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ConcurrentLinkedQueue<Request> completions = new ConcurrentLinkedQueue<>();
    private volatile int gauge;

    InFlightRequests(int capacity) {
        this.capacity = capacity;
    }

    boolean hasRoom() {
        return inFlight.size() < capacity;
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    /** Requests in flight; any thread (a gauge). */
    int size() {
        return gauge;
    }

    /** Sends {@code batch}; {@code wake} runs (on any thread) once it completes. Never throws. */
    void send(SqsSender sender, String queueUrl, Batch batch, Runnable wake) {
        Request request = new Request(batch);
        inFlight.add(request);
        gauge = inFlight.size();
        CompletableFuture<SqsSender.BatchResult> future;
        try {
            future = sender.sendBatch(queueUrl, batch.entries());
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((result, failure) -> {
            request.result = result;
            request.failure = failure == null ? null : unwrap(failure);
            completions.add(request);
            wake.run();
        });
    }

    /** The requests completed since the last call, in completion order; abandoned ones are skipped. */
    List<Completed> takeCompleted() {
        List<Completed> done = List.of();
        Request request;
        while ((request = completions.poll()) != null) {
            if (!inFlight.remove(request)) {
                continue; // abandoned at a stop deadline; the ledger has already counted it
            }
            if (done.isEmpty()) {
                done = new ArrayList<>();
            }
            done.add(new Completed(request.batch, request.result, request.failure));
        }
        gauge = inFlight.size();
        return done;
    }

    /** Forgets every request in flight (the ledger has abandoned their events). */
    void abandon() {
        inFlight.clear();
        gauge = 0;
    }

    /** The {@link SendFailure} behind a failed future, or a retryable one for anything unexpected. */
    static SendFailure unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SendFailure sendFailure) {
            return sendFailure;
        }
        return new SendFailure(t.getClass().getSimpleName(), String.valueOf(t.getMessage()), true, false, t);
    }
}
