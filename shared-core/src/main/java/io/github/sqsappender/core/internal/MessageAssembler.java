package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.SqsAppenderConfig;

/**
 * The stage that turns events taken from the intake into SQS messages: one event each
 * ({@link SingleMessageAssembler}) or many ({@link PackAssembler}, with optional gzip). Every event
 * taken is admitted to the ledger, and flush markers met on the way are handed to it. This is where
 * message transforms (compression, S3 offload) plug in. Dispatcher thread only.
 */
interface MessageAssembler {

    /**
     * The next message ready to be batched, or null when none is ready yet.
     *
     * @param maxMessageBytes the resolved queue's per-message limit
     * @param urgent          true when everything held is due now, whatever the linger (a stop was
     *                        requested, or the buffer is under pressure)
     */
    OutgoingMessage next(Intake intake, Ledger ledger, int maxMessageBytes, long now, boolean urgent);

    /**
     * Nanoseconds until a message held back (a partial pack) becomes due: 0 if one is ready,
     * {@link Dispatcher#UNTIL_WOKEN} if nothing is held.
     */
    long untilNextDue(long now);

    /** Forgets everything held (the ledger has abandoned it). */
    void clear();

    static MessageAssembler of(SqsAppenderConfig config, MessageEncoder encoder) {
        return config.isPacking() ? new PackAssembler(config, encoder) : new SingleMessageAssembler(encoder);
    }
}
