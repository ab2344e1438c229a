package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.port.SqsSender;

/**
 * The send stages: assemble messages into batches and send every batch that is due, within the
 * request slots and the send gate — and, when nothing more can be sent, how long the dispatcher may
 * park and which wake-up it arms. Dispatcher thread only.
 */
final class SendStage {

    private final SqsSender sender;
    private final MetricsRecorder metrics;
    private final Ledger ledger;
    private final Intake intake;
    private final MessageAssembler assembler;
    private final BatchAssembler batcher;
    private final InFlightRequests inFlight;
    private final RetryQueue retries;
    private final SendGate gate;
    private final boolean fifo;
    private final int wakeEvents;
    /** True while a due batch with room waits for the pack being written (see {@link #waitsForNextPack}). */
    private boolean heldForNextPack;

    /** @param wakeEvents how many new events wake a busy dispatcher; 0 for a batch's room */
    SendStage(SqsSender sender, MetricsRecorder metrics, Ledger ledger, Intake intake, MessageAssembler assembler,
              BatchAssembler batcher, InFlightRequests inFlight, RetryQueue retries, SendGate gate, boolean fifo,
              int wakeEvents) {
        this.sender = sender;
        this.metrics = metrics;
        this.ledger = ledger;
        this.intake = intake;
        this.assembler = assembler;
        this.batcher = batcher;
        this.inFlight = inFlight;
        this.retries = retries;
        this.gate = gate;
        this.fifo = fifo;
        this.wakeEvents = wakeEvents;
    }

    /**
     * Under pressure, partial packs are closed at once only while fewer messages than this are on
     * their way (requests in flight, packs being written): enough to keep the queue busy (and
     * the first request of a burst leaves at once), and beyond it packs go full, so a burst is
     * sent in few requests. From as many requests on their way, a batch with room also waits for
     * the pack being written ({@link #waitsForNextPack}).
     */
    static final int PRESSED_REQUESTS_BEFORE_PACKS_FILL = 2;

    /** Sends every batch that is due; {@code stopping} makes everything assembled due. */
    void sendWhatIsDue(SqsSender.QueueTarget target, long now, boolean stopping) {
        int limit = target.maxMessageBytes();
        heldForNextPack = false;
        while (inFlight.hasRoom() && gate.isOpen(now)) {
            // Under pressure, waiting for the linger only risks an overflow: everything assembled is due.
            boolean pressed = stopping || intake.isUnderPressure();
            // Partial packs too, but only while the requests on their way are few: with more, a pack
            // closed early would take a request for a few events, and it fills in the meantime.
            boolean closePacks = stopping
                    || (pressed && inFlight.size() + assembler.closedNotTaken() < PRESSED_REQUESTS_BEFORE_PACKS_FILL);
            batcher.fill(now, retries, () -> assembler.next(intake, ledger, limit, now, closePacks), ledger);
            ledger.releaseSettled(); // events dropped on assembly
            boolean flushing = intake.hasPendingFlush() || ledger.hasActiveFlushes();
            // Also under pressure: the wait is one pack's writing, and fewer requests free the buffer sooner.
            heldForNextPack = !stopping && !flushing && waitsForNextPack();
            if (heldForNextPack || !batcher.isDue(now, pressed || flushing)) {
                return;
            }
            Batch batch = batcher.seal(now);
            for (OutgoingMessage message : batch.messages()) {
                message.markSent(now);
                ledger.move(message, Holding.ASSEMBLING, Holding.IN_FLIGHT);
            }
            metrics.request(batch.payloadBytes());
            inFlight.send(sender, target.queueUrl(), batch, intake::wake);
        }
    }

    /**
     * True when the open batch has room and a pack is still being written, while enough requests
     * are on their way to keep the queue busy: the batch then waits for that pack, so a burst goes
     * in requests of several packs. (A request costs the SDK, the network and SQS much on its own:
     * sent one pack each, a gzip'ed burst took 3.7 times the requests, and more CPU per event.) The
     * pack's job wakes the dispatcher when it is done, also when it fails; a flush or a stop does
     * not wait. Once the batch stopped filling with room, the assembler's first closed-not-taken
     * item is a job still being written (finished ones were taken). A FIFO queue has one request
     * on its way at most, so it never holds.
     */
    private boolean waitsForNextPack() {
        return batcher.hasOpenMessages() && batcher.takesMore() && assembler.closedNotTaken() > 0
                && inFlight.size() >= PRESSED_REQUESTS_BEFORE_PACKS_FILL;
    }

    /**
     * Nanoseconds until a send may be due (the gate reopens, a linger or a pack ends, a retry can go),
     * having armed the intake's wake-up for new events; 0 if a producer got there first.
     */
    long untilNextSend(long now) {
        long wait = Dispatcher.UNTIL_WOKEN;
        if (!gate.isOpen(now)) {
            wait = gate.reopensAt() - now;
        } else if (inFlight.hasRoom()) {
            if (batcher.hasOpenMessages() && !heldForNextPack) { // a held batch: the pack's job wakes us
                wait = Math.max(0, batcher.lingerDeadline() - now);
            }
            if (takesNew()) {
                long untilPackDue = assembler.untilNextDue(now);
                wait = Math.min(wait, untilPackDue);
                // Idle (nothing held to wait for): the first new event must wake us, so its linger
                // is honoured; otherwise only a full batch's (or, packing, a good share's) worth.
                boolean idle = batcher.isEmpty() && untilPackDue == Dispatcher.UNTIL_WOKEN;
                int threshold = idle ? 1 : wakeEvents > 0 ? wakeEvents : batcher.room();
                if (!intake.armWake(threshold)) {
                    return 0; // a producer got there before it could see the threshold
                }
            }
        }
        // A due retry is only worth waking for when it can be sent: with the gate closed its reopening
        // wakes us, with every request slot busy a completion does. (Waking for it then would spin.)
        if (!retries.isEmpty() && gate.isOpen(now) && inFlight.hasRoom()) {
            wait = Math.min(wait, Math.max(0, retries.nextDueAt() - now));
        }
        return wait;
    }

    /** FIFO: nothing new is taken while a retry waits, or while an event of the stream uploads to S3. */
    private boolean takesNew() {
        return !fifo || (retries.isEmpty() && !assembler.holdsBackNew());
    }
}
