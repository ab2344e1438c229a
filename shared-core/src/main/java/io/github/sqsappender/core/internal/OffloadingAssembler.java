package io.github.sqsappender.core.internal;

/**
 * {@code largeMessagePolicy=s3} around the assembler: a message too large for the queue goes to
 * the {@link Offloader} instead of the batch, and comes back as a pointer to its body in S3, which
 * is batched first. On a FIFO queue nothing new is taken while an upload runs, so a group's event
 * cannot be overtaken by its successors. Dispatcher thread only.
 */
final class OffloadingAssembler implements MessageAssembler {

    private final MessageAssembler assembler;
    private final Offloader offloader;
    private final boolean fifo;

    OffloadingAssembler(MessageAssembler assembler, Offloader offloader, boolean fifo) {
        this.assembler = assembler;
        this.offloader = offloader;
        this.fifo = fifo;
    }

    @Override
    public OutgoingMessage next(Intake intake, Ledger ledger, int maxMessageBytes, long now, boolean urgent) {
        OutgoingMessage pointer = offloader.pollReady();
        if (pointer != null) {
            return pointer;
        }
        while (!holdsBackNew()) {
            OutgoingMessage message = assembler.next(intake, ledger, maxMessageBytes, now, urgent);
            if (message == null || !message.needsOffload()) {
                return message;
            }
            offloader.submit(message, now);
            offloader.poll(now);
        }
        return null;
    }

    @Override
    public boolean holdsBackNew() {
        return fifo && offloader.isBusy();
    }

    @Override
    public void drainHeldTo(Offloader.MessageSink sink) {
        offloader.drainTo(sink);
    }

    @Override
    public long untilNextDue(long now) {
        return assembler.untilNextDue(now);
    }

    @Override
    public int closedNotTaken() {
        return assembler.closedNotTaken();
    }

    @Override
    public void clear() {
        assembler.clear();
        offloader.clear();
    }

    @Override
    public void close() {
        assembler.close();
    }
}
