package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.WallClock;

import java.util.List;

/**
 * Carries out what {@link OutcomeRouter} decided for each message of a completed request:
 * delivered messages leave the ledger as sent; retried ones go to the {@link RetryQueue} (after
 * an entry backoff, or after the {@link SendGate}'s pause for a whole-request failure) unless
 * their delivery timeout has passed; rejected ones leave as {@code undeliverable}, reported
 * (rate-limited) with SQS's code. Dispatcher thread only.
 */
final class Outcomes {

    private final Ledger ledger;
    private final RetryQueue retries;
    private final SendGate gate;
    private final QueueResolver resolver;
    private final Undeliverable undeliverable;
    private final MetricsRecorder metrics;
    private final RateLimitedStatus status;
    private final WallClock wallClock;

    Outcomes(Ledger ledger, RetryQueue retries, SendGate gate, QueueResolver resolver, Undeliverable undeliverable,
             MetricsRecorder metrics, RateLimitedStatus status, WallClock wallClock) {
        this.undeliverable = undeliverable;
        this.ledger = ledger;
        this.retries = retries;
        this.gate = gate;
        this.resolver = resolver;
        this.metrics = metrics;
        this.status = status;
        this.wallClock = wallClock;
    }

    /** Settles the messages of {@code completed} requests, in completion order. */
    void apply(List<InFlightRequests.Completed> completed, long now) {
        for (InFlightRequests.Completed done : completed) {
            OutcomeRouter.Routing routing = done.failure() == null
                    ? OutcomeRouter.route(done.batch(), done.result())
                    : OutcomeRouter.route(done.batch(), done.failure());
            long retryAt = routing.requestFailure() == null ? onResponse(routing, now) : onRequestFailure(done, now);
            for (OutgoingMessage message : routing.delivered()) {
                ledger.delivered(message, Holding.IN_FLIGHT);
            }
            for (OutcomeRouter.Rejection rejection : routing.rejected()) {
                undeliverable.giveUp(rejection.message(), Holding.IN_FLIGHT, rejection.code(), rejection.reason(), now);
            }
            scheduleRetries(routing, retryAt, now);
        }
    }

    private long onResponse(OutcomeRouter.Routing routing, long now) {
        gate.onResponse();
        if (routing.retry().isEmpty()) {
            return 0;
        }
        int attempts = 0;
        for (OutgoingMessage message : routing.retry()) {
            attempts = Math.max(attempts, message.attempts());
        }
        return gate.entryRetryAt(attempts, now);
    }

    private long onRequestFailure(InFlightRequests.Completed done, long now) {
        SendFailure failure = done.failure();
        if (failure.throttled()) {
            metrics.throttled();
        }
        metrics.error(failure.getMessage(), wallClock.currentTimeMillis());
        if (!failure.retryable()) {
            return 0;
        }
        status.warn("request:" + failure.code(), "SendMessageBatch to " + resolver.describe() + " failed ("
                + failure.getMessage() + "); retrying with backoff", null);
        return gate.onRetryableFailure(done.batch().sentAt(), now);
    }

    private void scheduleRetries(OutcomeRouter.Routing routing, long notBefore, long now) {
        String why = routing.requestFailure() == null ? "entry failure" : routing.requestFailure().code();
        int retried = 0;
        for (OutgoingMessage message : routing.retry()) {
            if (retries.schedule(message, notBefore)) {
                ledger.move(message, Holding.IN_FLIGHT, Holding.AWAITING_RETRY);
                retried += message.eventCount();
            } else {
                undeliverable.giveUp(message, Holding.IN_FLIGHT, "DeliveryTimeout", "Gave up after " + message.attempts()
                        + " attempts within deliveryTimeoutMs (" + why + ")", now);
            }
        }
        metrics.retried(retried);
    }
}
