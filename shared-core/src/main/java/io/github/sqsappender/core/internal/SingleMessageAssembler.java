package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.DropReason;

/**
 * One event per SQS message ({@code packing=none}): each event is fitted to the queue's limit under
 * the large-message policy (truncated, dropped as {@code oversize}, or marked for the S3 offload
 * stage). Flush markers met on the
 * way are handed to the ledger. Dispatcher thread only.
 */
final class SingleMessageAssembler implements MessageAssembler {

    private final MessageEncoder encoder;

    SingleMessageAssembler(MessageEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * Takes intake items until one becomes a message, and returns it; null once the intake is
     * empty. Every event taken is admitted to {@code ledger}, which from then on accounts for it.
     *
     * @param maxMessageBytes the resolved queue's per-message limit
     */
    @Override
    public OutgoingMessage next(Intake intake, Ledger ledger, int maxMessageBytes, long now, boolean urgent) {
        IntakeItem item;
        while ((item = intake.poll()) != null) {
            if (item instanceof FlushMarker marker) {
                ledger.registerFlush(marker);
                continue;
            }
            IntakeEvent event = (IntakeEvent) item;
            OutgoingMessage message = alone(event, ledger.admit(event), ledger, encoder, maxMessageBytes);
            if (message != null) {
                return message;
            }
        }
        return null;
    }

    /**
     * An admitted event as a message of its own, fitted to {@code maxMessageBytes}; null when it
     * cannot be sent (dropped as {@code oversize} through the ledger).
     */
    static OutgoingMessage alone(IntakeEvent event, long sequence, Ledger ledger, MessageEncoder encoder, int maxMessageBytes) {
        if (encoder.offloadsToS3() && event.sizeBytes() > maxMessageBytes) {
            return OutgoingMessage.toOffload(event, sequence, encoder.newDeduplicationId()); // to S3 first
        }
        IntakeEvent fitted = encoder.fit(event, maxMessageBytes);
        if (fitted == null) {
            ledger.droppedOnAssembly(event, sequence, DropReason.OVERSIZE);
            return null;
        }
        if (fitted != event) {
            ledger.shrink(Holding.ASSEMBLING, event.budgetBytes() - fitted.budgetBytes());
        }
        return OutgoingMessage.single(fitted, sequence, encoder.newDeduplicationId());
    }

    @Override
    public long untilNextDue(long now) {
        return Dispatcher.UNTIL_WOKEN; // holds nothing between calls
    }

    @Override
    public void clear() {
        // holds nothing between calls
    }
}
