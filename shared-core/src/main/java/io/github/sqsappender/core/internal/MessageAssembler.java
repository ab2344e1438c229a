package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.DropReason;

/**
 * Turns events taken from the intake into SQS messages. Today each event becomes one message,
 * fitted to the queue's limit under the large-message policy (truncated, or dropped as
 * {@code oversize}); this is the stage where packing many events into one message, compressing
 * it, or offloading it to S3 plugs in. Flush markers met on the way are handed to the ledger.
 *
 * <p>Dispatcher thread only.
 */
final class MessageAssembler {

    private final MessageEncoder encoder;

    MessageAssembler(MessageEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * Takes intake items until one becomes a message, and returns it; null once the intake is
     * empty. Every event taken is admitted to {@code ledger}, which from then on accounts for it.
     *
     * @param maxMessageBytes the resolved queue's per-message limit
     */
    OutgoingMessage next(Intake intake, Ledger ledger, int maxMessageBytes) {
        IntakeItem item;
        while ((item = intake.poll()) != null) {
            if (item instanceof FlushMarker marker) {
                ledger.registerFlush(marker);
                continue;
            }
            SqsMessage event = (SqsMessage) item;
            long sequence = ledger.admit(event);
            SqsMessage fitted = encoder.fit(event, maxMessageBytes);
            if (fitted == null) {
                ledger.droppedOnAssembly(event, sequence, DropReason.OVERSIZE);
                continue;
            }
            if (fitted != event) {
                ledger.shrink(Holding.ASSEMBLING, event.sizeBytes() - fitted.sizeBytes());
            }
            return OutgoingMessage.single(fitted, sequence);
        }
        return null;
    }
}
