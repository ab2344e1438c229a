package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.jvm.RateLimitedStatus;

import java.util.concurrent.Executor;

/**
 * The stage that turns events taken from the intake into SQS messages: one event each
 * ({@link SingleMessageAssembler}) or many ({@link PackAssembler}, with optional gzip). Every event
 * taken is admitted to the ledger, and flush markers met on the way are handed to it. The S3
 * offload wraps it ({@link OffloadingAssembler}). Dispatcher thread only.
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

    /** Messages made but not yet taken by {@link #next} (packs still being written, among them). */
    default int closedNotTaken() {
        return 0;
    }

    /** Forgets everything held (the ledger has abandoned it). */
    void clear();

    /**
     * Releases what the assembler holds outside the heap, once the dispatcher has finished; a job
     * still running elsewhere then fails, and nobody takes its result.
     */
    default void close() {
    }

    /**
     * True while a message taken from the intake is still on its way to a batch outside the
     * assembler (an upload to S3): on a FIFO queue nothing new may be taken then.
     */
    default boolean holdsBackNew() {
        return false;
    }

    /**
     * Hands what is held outside the intake's order to {@code sink} (the stop's cut-over: uploads
     * and their pointers); what {@link #next} can still produce is taken through it.
     */
    default void drainHeldTo(Offloader.MessageSink sink) {
    }

    /**
     * @param packThread where packs' bodies are written (see {@link PackAssembler})
     * @param status     where a pack that could not be written there is reported
     */
    static MessageAssembler of(SqsAppenderConfig config, MessageEncoder encoder, Executor packThread,
                               RateLimitedStatus status) {
        return config.isPacking() ? new PackAssembler(config, encoder, packThread, status) : new SingleMessageAssembler(encoder);
    }
}
