package io.github.sqsappender.core.internal;

/**
 * The stop's cut-over ({@link StopPlan.Phase#CUT_OVER}): SQS gets no new requests, and every event
 * not yet delivered — waiting for a retry, in the open batch, in an open pack, still in the intake,
 * waiting for its upload — goes to the fallback, which writes it to S3 at once. Requests already in
 * flight still complete (their failures go to the fallback too). Runs on every step after the
 * cut-over, so events appended during the stop follow. Dispatcher thread only.
 */
final class CutOver {

    private final RetryQueue retries;
    private final BatchAssembler batcher;
    private final MessageAssembler assembler;
    private final MessageAssembler withoutOffload;
    private final Intake intake;
    private final Ledger ledger;
    private final FallbackWriter fallback;

    /**
     * @param assembler      the messages' assembler, whose held messages (uploads among them) are drained
     * @param withoutOffload the same without the S3 offload: what is still assembled goes to the
     *                       fallback, however large, and no new upload starts
     */
    CutOver(RetryQueue retries, BatchAssembler batcher, MessageAssembler assembler, MessageAssembler withoutOffload,
            Intake intake, Ledger ledger, FallbackWriter fallback) {
        this.retries = retries;
        this.batcher = batcher;
        this.assembler = assembler;
        this.withoutOffload = withoutOffload;
        this.intake = intake;
        this.ledger = ledger;
        this.fallback = fallback;
    }

    /** Moves everything undelivered to the fallback; {@code maxMessageBytes} sizes what is still assembled. */
    void run(int maxMessageBytes, long now) {
        OutgoingMessage retry;
        while ((retry = retries.pollAny()) != null) {
            fallback.accept(retry, Holding.AWAITING_RETRY, now);
        }
        batcher.drainTo((message, from) -> fallback.accept(message, from, now));
        assembler.drainHeldTo((message, from) -> fallback.accept(message, from, now));
        OutgoingMessage message;
        while ((message = withoutOffload.next(intake, ledger, maxMessageBytes, now, true)) != null) {
            fallback.accept(message, Holding.ASSEMBLING, now);
        }
    }
}
