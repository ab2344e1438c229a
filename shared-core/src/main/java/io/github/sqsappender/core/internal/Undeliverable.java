package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.DropReason;
import io.github.sqsappender.core.WallClock;

import java.util.function.Supplier;

/**
 * The one place a message is given up: SQS rejected it ({@code SenderFault=true}, a permanent
 * request failure), its delivery timeout passed, or its body could not be written to S3. With a
 * fallback it goes there; otherwise its events leave the ledger as dropped ({@code undeliverable}).
 * Either way the reason is recorded as the last error and reported (rate-limited per code).
 *
 * <p>Dispatcher thread only.
 */
final class Undeliverable {

    private final Ledger ledger;
    private final FallbackWriter fallback;
    private final RateLimitedStatus status;
    private final MetricsRecorder metrics;
    private final WallClock wallClock;
    private final Supplier<String> queue;
    private final long deliveryTimeoutNanos;

    /** @param fallback where given-up messages go, or null to drop them */
    Undeliverable(Ledger ledger, FallbackWriter fallback, RateLimitedStatus status, MetricsRecorder metrics,
                  WallClock wallClock, Supplier<String> queue, long deliveryTimeoutNanos) {
        this.deliveryTimeoutNanos = deliveryTimeoutNanos;
        this.ledger = ledger;
        this.fallback = fallback;
        this.status = status;
        this.metrics = metrics;
        this.wallClock = wallClock;
        this.queue = queue;
    }

    /** Gives {@code message} (held in {@code from}) up for {@code reason}, SQS's or S3's {@code code}. */
    void giveUp(OutgoingMessage message, Holding from, String code, String reason, long now) {
        metrics.error(reason, wallClock.currentTimeMillis());
        if (fallback != null) {
            status.warn("fallback:" + code, "Event not delivered to " + queue.get() + ": " + reason
                    + "; writing it to the S3 fallback", null);
            fallback.accept(message, from, now);
        } else {
            status.error("undeliverable:" + code, "Event not delivered to " + queue.get() + ": " + reason, null);
            ledger.dropped(message, from, DropReason.UNDELIVERABLE);
        }
    }

    /**
     * While the queue cannot be found, events do not wait for it forever: one that has waited
     * {@code deliveryTimeoutMs} in the intake is given up, as it would have been after that long of
     * failed sends; during a stop that found the queue out of reach ({@code all}), every event is.
     * Flush markers met on the way are registered with the ledger.
     */
    void expireUnresolved(Intake intake, long now, boolean all) {
        IntakeItem head;
        while ((head = intake.peek()) != null) {
            if (!all && head instanceof IntakeEvent event && now - event.enqueuedAtNanos() <= deliveryTimeoutNanos) {
                return;
            }
            IntakeItem item = intake.poll();
            if (item instanceof FlushMarker marker) {
                ledger.registerFlush(marker);
            } else if (item instanceof IntakeEvent event) {
                OutgoingMessage message = OutgoingMessage.single(event, ledger.admit(event));
                giveUp(message, Holding.ASSEMBLING, "QueueUnavailable", all
                        ? "the queue could not be reached when the appender stopped"
                        : "the queue could not be reached within deliveryTimeoutMs", now);
            }
        }
    }

    /** Nanoseconds until the oldest event in the intake expires ({@link #expireUnresolved}). */
    long untilExpiry(Intake intake, long now) {
        return intake.peek() instanceof IntakeEvent oldest
                ? Math.max(0, oldest.enqueuedAtNanos() + deliveryTimeoutNanos - now + 1) : Dispatcher.UNTIL_WOKEN;
    }
}
