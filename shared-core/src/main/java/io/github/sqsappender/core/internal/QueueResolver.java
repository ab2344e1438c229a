package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.Backoff;
import io.github.sqsappender.core.WallClock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds the queue before anything is sent: asks the sender (GetQueueUrl / GetQueueAttributes as
 * needed) off the callers' threads, applies a configured {@code maxMessageBytes} over the
 * queue's own limit (unless the queue's is smaller: SQS enforces it, and a warning says so), and
 * retries a failed lookup with backoff (at most every 30 s) while events stay buffered. The lookup's future completes on an SDK thread, which only stores the outcome
 * and wakes the dispatcher. Once a stop begins, a lookup is tried at once rather than after its
 * backoff, and retried at most {@link #STOP_RETRY_NANOS} apart while the stop lasts (an endpoint
 * that comes back in time still gets what is buffered); when the queue is known not to exist or
 * not to be ours, or there are no credentials to ask with, the stop does not wait for it ({@link #unreachableForTheStop}).
 *
 * <p>Dispatcher thread only.
 */
final class QueueResolver {

    private static final long MAX_BACKOFF_NANOS = 30_000_000_000L;
    /** During a stop, the longest wait between lookups: the stop has seconds, not minutes. */
    static final long STOP_RETRY_NANOS = 250_000_000L;

    private final String name;
    /** The queue as configured (its URL, or its name), for messages before it is found. */
    private final String configuredQueue;
    private final SqsSender sender;
    private final int configuredMaxMessageBytes;
    private final Backoff backoff;
    private final RateLimitedStatus status;
    private final MetricsRecorder metrics;
    private final WallClock wallClock;
    private final Runnable wake;
    private final AtomicReference<Object> outcome = new AtomicReference<>();
    private SqsSender.QueueTarget target;
    private boolean resolving;
    private long nextAttemptAt;
    private int failures;
    private boolean stopping;
    private boolean failedForGoodWhileStopping;

    /**
     * @param configuredMaxMessageBytes the configured limit, or 0 to use the queue's
     * @param wake                      unparks the dispatcher; run on the completing thread
     */
    QueueResolver(String name, String configuredQueue, SqsSender sender, int configuredMaxMessageBytes, Backoff backoff,
                  RateLimitedStatus status, MetricsRecorder metrics, WallClock wallClock, Runnable wake, long now) {
        this.name = name;
        this.configuredQueue = configuredQueue;
        this.sender = sender;
        this.configuredMaxMessageBytes = configuredMaxMessageBytes;
        this.backoff = backoff;
        this.status = status;
        this.metrics = metrics;
        this.wallClock = wallClock;
        this.wake = wake;
        this.nextAttemptAt = now;
    }

    /**
     * Takes a finished lookup's outcome and starts a lookup when one is due.
     *
     * @return the queue, or null while it is not known
     */
    SqsSender.QueueTarget poll(long now) {
        takeOutcome(now);
        if (target == null && !resolving && now - nextAttemptAt >= 0) {
            start();
            takeOutcome(now); // a lookup may complete at once (e.g. a configured queueUrl)
        }
        return target;
    }

    /** A stop began: the next lookup is tried at once, not after its backoff. Idempotent. */
    void stopping(long now) {
        if (!stopping) {
            stopping = true;
            nextAttemptAt = now;
        }
    }

    /**
     * True during a stop once a lookup made during it failed for good (the queue does not exist,
     * access is denied, the client cannot be built, no credentials can be loaded), so the stop gives up what is buffered rather
     * than wait out {@code shutdownTimeoutMs} for nothing. A failure that may pass (the endpoint
     * unreachable, throttling) is retried until the stop's deadline instead.
     */
    boolean unreachableForTheStop() {
        return target == null && !resolving && failedForGoodWhileStopping;
    }

    /** Nanoseconds until the next lookup attempt, or {@link Dispatcher#UNTIL_WOKEN} while one runs. */
    long untilNextAttempt(long now) {
        return resolving ? Dispatcher.UNTIL_WOKEN : Math.max(0, nextAttemptAt - now);
    }

    /** The queue's URL for status messages; before it is found, the queue as configured. */
    String describe() {
        return target != null ? target.queueUrl() : configuredQueue;
    }

    private void start() {
        resolving = true;
        CompletableFuture<SqsSender.QueueTarget> future;
        try {
            future = sender.resolveQueue();
        } catch (RuntimeException | LinkageError e) { // a client that cannot be built (a missing or
            // mismatched HTTP client, a native library that does not load) is a failed lookup, reported
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((resolved, failure) -> {
            outcome.set(failure != null ? InFlightRequests.unwrap(failure) : resolved);
            wake.run();
        });
    }

    private void takeOutcome(long now) {
        Object result = outcome.getAndSet(null);
        if (result == null) {
            return;
        }
        resolving = false;
        if (result instanceof SqsSender.QueueTarget resolved) {
            int limit = configuredMaxMessageBytes > 0 && !resolved.queueLimitBelowConfigured()
                    ? configuredMaxMessageBytes : resolved.maxMessageBytes();
            target = new SqsSender.QueueTarget(resolved.queueUrl(), limit, resolved.note());
            failures = 0;
            if (resolved.queueLimitBelowConfigured()) {
                status.warn("limit", "sqs-appender '" + name + "': maxMessageBytes=" + configuredMaxMessageBytes
                        + " is above the queue's MaximumMessageSize (" + limit + "), which SQS enforces; using "
                        + limit + ". Raise the queue's MaximumMessageSize or lower maxMessageBytes", null);
            }
            status.unlimited().info("sqs-appender '" + name + "' sends to " + target.queueUrl()
                    + " (maxMessageBytes=" + limit + (resolved.note() == null ? "" : ", " + resolved.note()) + ")");
            return;
        }
        SendFailure failure = (SendFailure) result;
        failures++;
        long retryIn = Math.min(stopping ? STOP_RETRY_NANOS : MAX_BACKOFF_NANOS, backoff.ceilingNanos(failures));
        nextAttemptAt = now + retryIn;
        if (stopping && (!failure.retryable() || failure.noCredentials())) {
            failedForGoodWhileStopping = true;
        }
        metrics.error(failure.getMessage(), wallClock.currentTimeMillis());
        String message = "sqs-appender '" + name + "' cannot use its queue yet (" + failure.getMessage()
                + "); events are buffered and the lookup is retried";
        if (failure.retryable()) {
            status.warn("resolve", message, failure.getCause());
        } else {
            status.error("resolve", message, failure.getCause());
        }
    }
}
