package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.Backoff;
import io.github.sqsappender.core.DropReason;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.Ticker;
import io.github.sqsappender.core.WallClock;

import java.util.concurrent.locks.LockSupport;

/**
 * Moves events from the application threads to SQS: one loop over named stages around one
 * {@link Ledger}. See the package documentation for the threading model.
 *
 * <p>Producer side (any thread): {@link #intake()}, {@link #requestStop}, {@link #isFinished}.
 * Consumer side (the dispatcher thread only): {@link #runOnce} and {@link #runLoop}. <b>WARNING:</b> calling {@code runOnce} from two threads
 * corrupts its state.
 */
public final class Dispatcher {

    /** Returned by {@link #runOnce} once the dispatcher has finished after a stop. */
    public static final long FINISHED = -1;
    /** Returned by {@link #runOnce} when only a wake-up (event, completion) can make progress. */
    public static final long UNTIL_WOKEN = Long.MAX_VALUE;
    private static final long MAX_PARK_NANOS = 1_000_000_000L; // even a missed wake-up costs at most 1 s
    private static final long STAGE_FAILURE_PAUSE_NANOS = 100_000_000L;

    private final SqsSender sender;
    private final MetricsRecorder metrics;
    private final RateLimitedStatus status;
    private final WallClock wallClock;
    private final Ticker ticker;
    private final boolean fifo;
    private final int wakeEvents;
    private final Ledger ledger;
    private final Intake intake;
    private final QueueResolver resolver;
    private final MessageAssembler assembler;
    private final BatchAssembler batcher;
    private final InFlightRequests inFlight;
    private final RetryQueue retries;
    private final SendGate gate;
    private final DropReporter drops;
    private final Outcomes outcomes;
    private final Undeliverable undeliverable;
    private final Offloader offloader; // null unless largeMessagePolicy=s3
    private final FallbackWriter fallback; // null unless fallback=s3
    private final long deliveryTimeoutNanos;
    private final int upperBoundMessageBytes;
    private volatile boolean stopRequested;
    private volatile long stopDeadline;
    private volatile long fallbackCutoff;
    private volatile boolean finished;
    private boolean cutOver; // the stop's cut-over: everything not yet delivered goes to the fallback

    /** The share of the stop's time kept for writing what is still undelivered to the S3 fallback. */
    static final double FALLBACK_SHARE_OF_STOP = 0.3;

    /** A dispatcher without S3 (neither {@code largeMessagePolicy=s3} nor {@code fallback=s3}). */
    public Dispatcher(SqsAppenderConfig config, SqsSender sender, MessageEncoder encoder, MetricsRecorder metrics,
                      RateLimitedStatus status, Backoff backoff, Ticker ticker, WallClock wallClock) {
        this(config, sender, null, HostName.get(), encoder, metrics, status, backoff, ticker, wallClock);
    }

    /**
     * @param s3       where offloaded bodies and fallback objects are written; required when the
     *                 configuration uses S3, ignored otherwise
     * @param hostName the host part of fallback object keys
     */
    public Dispatcher(SqsAppenderConfig config, SqsSender sender, S3Store s3, String hostName, MessageEncoder encoder,
                      MetricsRecorder metrics, RateLimitedStatus status, Backoff backoff, Ticker ticker, WallClock wallClock) {
        if (config.usesS3() && s3 == null) {
            throw new IllegalArgumentException("the configuration uses S3 but no S3 store was given");
        }
        this.sender = sender;
        this.metrics = metrics;
        this.status = status;
        this.wallClock = wallClock;
        this.ticker = ticker;
        this.fifo = config.isFifo();
        long now = ticker.read();
        BufferBudget budget = new BufferBudget(config.bufferCapacity(), config.maxBufferBytes());
        this.ledger = new Ledger(budget, metrics);
        this.intake = new Intake(config.bufferCapacity(), budget, metrics, ticker);
        this.resolver = new QueueResolver(config.name(), sender, config.maxMessageBytes(), backoff,
                status, metrics, wallClock, intake::wake, now);
        this.assembler = MessageAssembler.of(config, encoder);
        // Packing takes many events per message: waking the dispatcher every few events would only cost.
        this.wakeEvents = config.isPacking() ? Math.max(1, Math.min(1_024, config.bufferCapacity() / 4)) : 0;
        this.batcher = new BatchAssembler(config.maxBatchSize(), config.lingerMs() * 1_000_000L, fifo);
        // FIFO order across retries needs one request at a time: a later batch must not overtake
        // an earlier one that is being retried.
        this.inFlight = new InFlightRequests(fifo ? 1 : config.maxInFlight());
        this.retries = new RetryQueue(config.deliveryTimeoutMs() * 1_000_000L);
        this.gate = new SendGate(backoff, now);
        this.drops = new DropReporter(config.name(), metrics, status.unlimited(), now);
        this.fallback = config.fallback() == io.github.sqsappender.core.Fallback.S3
                ? new FallbackWriter(config, s3, hostName, backoff, ledger, status, metrics, wallClock, intake::wake) : null;
        this.undeliverable = new Undeliverable(ledger, fallback, status, metrics, wallClock, resolver::describe);
        this.offloader = config.largeMessagePolicy() == io.github.sqsappender.core.LargeMessagePolicy.S3
                ? new Offloader(config, s3, backoff, ledger, undeliverable, status, metrics, wallClock, intake::wake) : null;
        this.outcomes = new Outcomes(ledger, retries, gate, resolver, undeliverable, metrics, status, wallClock);
        this.deliveryTimeoutNanos = config.deliveryTimeoutMs() * 1_000_000L;
        this.upperBoundMessageBytes = config.effectiveMaxMessageBytesUpperBound();
        metrics.bindGauges(budget::events, budget::bytes, inFlight::size);
    }

    // ------------------------------------------------------------------ producer side

    /** The producer side: where application threads offer events and request flushes. */
    public Intake intake() {
        return intake;
    }

    /**
     * Asks the dispatcher to deliver what it holds and finish by {@code deadlineNanos} (ticker
     * time). Any thread; idempotent; the earliest deadline wins.
     */
    public void requestStop(long deadlineNanos) {
        if (!stopRequested || deadlineNanos - stopDeadline < 0) {
            long now = ticker.read();
            // With a fallback, the last part of the stop's time is kept for writing what is still
            // undelivered to S3; without one, SQS gets all of it.
            fallbackCutoff = deadlineNanos - (fallback == null ? 0 : (long) (Math.max(0, deadlineNanos - now) * FALLBACK_SHARE_OF_STOP));
            stopDeadline = deadlineNanos;
        }
        stopRequested = true;
        intake.wake();
    }

    /** True once the dispatcher has delivered or given up everything after a stop. Any thread. */
    public boolean isFinished() {
        return finished;
    }

    /**
     * Ends a dispatcher whose loop never ran (a pipeline stopped before it was started): what the
     * intake holds and every later offer are counted as dropped ({@code shutdown}), pending flushes
     * fail. Call it only when no thread runs, or ever ran, {@link #runOnce}; it then acts as the
     * consumer side.
     */
    public void finishWithoutRunning() {
        if (!finished) {
            abandonAll();
        }
    }

    /** Binds the thread that runs {@link #runOnce}; producers unpark it. */
    public void bindThread(Thread dispatcherThread) {
        intake.bindDispatcher(dispatcherThread);
    }

    // ------------------------------------------------------------------ consumer side

    /**
     * One step of the loop. Dispatcher thread only.
     *
     * @param now the ticker's current reading
     * @return nanoseconds the thread may park before the next step ({@link #UNTIL_WOKEN} if only a
     *         wake-up can make progress, 0 to run again at once), or {@link #FINISHED}
     */
    public long runOnce(long now) {
        if (finished) {
            return FINISHED;
        }
        intake.disarmWake();
        SqsSender.QueueTarget target = resolver.poll(now);
        boolean stopping = stopRequested;
        routeCompletions(now);
        if (stopping && now - stopDeadline >= 0) {
            settleS3(now); // what S3 stored in time counts as stored, not as lost
            abandonAll();
            return FINISHED;
        }
        if (stopping && fallback != null && now - fallbackCutoff >= 0) {
            cutOver = true;
        }
        if (offloader != null) {
            if (cutOver) {
                offloader.settle(now); // no new uploads: their events go to the fallback
            } else {
                offloader.poll(now);
            }
        }
        if (cutOver) {
            cutOverToFallback(target, now);
        } else if (target == null) {
            expireUnresolved(now);
        }
        if (fallback != null) {
            fallback.poll(now, stopping || intake.hasPendingFlush() || ledger.hasActiveFlushes());
        }
        ledger.releaseSettled();
        intake.wakeBlockedProducers(ledger.takeFreed());
        drops.reportIfDue(now, false);
        if (target != null && !cutOver) {
            sendWhatIsDue(target, now, stopping);
        }
        if (stopping && holdsNothing()) {
            finish();
            return FINISHED;
        }
        long wait;
        if (cutOver) {
            // Events appended during the stop go to the fallback too: the first one must wake us.
            if (!intake.armWake(1)) {
                return 0;
            }
            wait = Math.max(0, stopDeadline - now);
        } else {
            wait = target == null ? untilResolved(now, stopping) : untilNextStep(now, stopping);
        }
        return Math.min(wait, untilS3(now, stopping));
    }

    /** Settles finished S3 writes without starting any. */
    private void settleS3(long now) {
        if (offloader != null) {
            offloader.settle(now);
        }
        if (fallback != null) {
            fallback.settle(now);
        }
        ledger.releaseSettled();
    }

    /**
     * The stop's cut-over, from {@code shutdownTimeoutMs} minus the fallback's share on: SQS gets no
     * new requests, and every event not yet delivered — waiting for a retry, in the open batch, in
     * an open pack, still in the intake, waiting for its upload — goes to the fallback, which writes
     * it to S3 at once. Requests already in flight still complete (their failures go to the fallback
     * too). Runs on every step after the cut-over, so events appended during the stop follow.
     */
    private void cutOverToFallback(SqsSender.QueueTarget target, long now) {
        OutgoingMessage retry;
        while ((retry = retries.pollAny()) != null) {
            fallback.accept(retry, Holding.AWAITING_RETRY, now);
        }
        batcher.drainTo((message, from) -> fallback.accept(message, from, now));
        if (offloader != null) {
            offloader.drainTo((message, from) -> fallback.accept(message, from, now));
        }
        int limit = target != null ? target.maxMessageBytes() : upperBoundMessageBytes;
        OutgoingMessage message;
        while ((message = assembler.next(intake, ledger, limit, now, true)) != null) {
            fallback.accept(message, Holding.ASSEMBLING, now);
        }
    }

    /**
     * While the queue cannot be found, events do not wait for it forever: one that has waited
     * {@code deliveryTimeoutMs} in the intake is given up (to the fallback, if configured), as it
     * would have been after that long of failed sends.
     */
    private void expireUnresolved(long now) {
        IntakeItem head;
        while ((head = intake.peek()) != null) {
            if (head instanceof SqsMessage event && now - event.enqueuedAtNanos() <= deliveryTimeoutNanos) {
                return;
            }
            IntakeItem item = intake.poll();
            if (item instanceof FlushMarker marker) {
                ledger.registerFlush(marker);
            } else if (item instanceof SqsMessage event) {
                OutgoingMessage message = OutgoingMessage.single(event, ledger.admit(event));
                undeliverable.giveUp(message, Holding.ASSEMBLING, "QueueUnavailable", "the queue could not be reached "
                        + "within deliveryTimeoutMs (" + resolver.describe() + ")", now);
            }
        }
    }

    /** The next message for the batch: a pointer whose body is in S3, or a fresh one from the assembler. */
    private OutgoingMessage nextMessage(int limit, long now, boolean urgent) {
        if (offloader == null) {
            return assembler.next(intake, ledger, limit, now, urgent);
        }
        OutgoingMessage pointer = offloader.pollReady();
        if (pointer != null) {
            return pointer;
        }
        while (!(fifo && offloader.isBusy())) { // FIFO: nothing overtakes a group's event while it uploads
            OutgoingMessage message = assembler.next(intake, ledger, limit, now, urgent);
            if (message == null || !message.needsOffload()) {
                return message;
            }
            offloader.submit(message, now);
            offloader.poll(now);
        }
        return null;
    }

    private long untilS3(long now, boolean stopping) {
        long wait = UNTIL_WOKEN;
        if (offloader != null) {
            wait = Math.min(wait, offloader.untilNextDue(now));
        }
        if (fallback != null) {
            wait = Math.min(wait, fallback.untilNextDue(now));
            if (stopping && !cutOver) {
                wait = Math.min(wait, Math.max(0, fallbackCutoff - now));
            }
        }
        return wait;
    }

    /** Runs the loop on the current thread until the dispatcher finishes. */
    public void runLoop() {
        bindThread(Thread.currentThread());
        try {
            long wait;
            do {
                try {
                    wait = runOnce(ticker.read());
                } catch (RuntimeException | LinkageError e) {
                    // A bug in a stage must not end delivery: count it, report it, go on after a pause.
                    metrics.dispatcherError("unexpected failure in the dispatcher: " + e, wallClock.currentTimeMillis());
                    status.error("dispatcher", "sqs-appender: unexpected failure in the dispatcher, which goes on: " + e, e);
                    wait = STAGE_FAILURE_PAUSE_NANOS;
                }
                if (wait > 0) {
                    LockSupport.parkNanos(this, Math.min(wait, MAX_PARK_NANOS));
                }
            } while (wait != FINISHED);
        } catch (Throwable fatal) { // e.g. OutOfMemoryError: this thread ends; say so and count what it held
            died(fatal);
        }
    }

    /**
     * The dispatcher thread is ending on an error it cannot survive: what it holds, what is still
     * in the intake and every later append are counted as {@code undeliverable}, and the status
     * channel says so, instead of the buffer filling silently.
     */
    private void died(Throwable fatal) {
        try {
            finished = true;
            status.unlimited().error("sqs-appender: the dispatcher thread died (" + fatal
                    + "); events are no longer delivered and are counted as undeliverable", fatal);
            ledger.releaseSettled();
            ledger.abandonAll(DropReason.UNDELIVERABLE);
            intake.close(ledger, DropReason.UNDELIVERABLE);
        } catch (Throwable ignored) {
            // nothing more can be done on a dying thread
        }
    }

    /** Stage: settle every completed request's messages as delivered, retried or rejected. */
    private void routeCompletions(long now) {
        outcomes.apply(inFlight.takeCompleted(), now);
        ledger.releaseSettled();
    }

    /** Stages: assemble messages into batches and send every batch that is due, within the limits. */
    private void sendWhatIsDue(SqsSender.QueueTarget target, long now, boolean stopping) {
        int limit = target.maxMessageBytes();
        while (inFlight.hasRoom() && gate.isOpen(now)) {
            // Under pressure, waiting for the linger only risks an overflow: everything assembled is due.
            boolean pressed = stopping || intake.isUnderPressure();
            batcher.fill(now, retries, () -> nextMessage(limit, now, pressed), ledger);
            ledger.releaseSettled(); // events dropped on assembly
            boolean urgent = pressed || intake.hasPendingFlush() || ledger.hasActiveFlushes();
            if (!batcher.isDue(now, urgent)) {
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

    private boolean holdsNothing() {
        return ledger.heldEvents() == 0 && intake.isEmpty() && !intake.hasPendingFlush();
    }

    private long untilResolved(long now, boolean stopping) {
        long wait = resolver.untilNextAttempt(now);
        if (intake.peek() instanceof SqsMessage oldest) { // when it expires (see expireUnresolved)
            wait = Math.min(wait, Math.max(0, oldest.enqueuedAtNanos() + deliveryTimeoutNanos - now + 1));
        }
        return stopping ? Math.min(wait, Math.max(0, stopDeadline - now)) : wait;
    }

    private long untilNextStep(long now, boolean stopping) {
        long wait = UNTIL_WOKEN;
        if (!gate.isOpen(now)) {
            wait = gate.reopensAt() - now;
        } else if (inFlight.hasRoom()) {
            if (batcher.hasOpenMessages()) {
                wait = Math.max(0, batcher.lingerDeadline() - now);
            }
            // FIFO: nothing new while a retry waits, or while an event of the stream uploads to S3
            boolean takesNew = !fifo || (retries.isEmpty() && (offloader == null || !offloader.isBusy()));
            if (takesNew) {
                long untilPackDue = assembler.untilNextDue(now);
                wait = Math.min(wait, untilPackDue);
                // Idle (nothing held to wait for): the first new event must wake us, so its linger
                // is honoured; otherwise only a full batch's (or, packing, a good share's) worth.
                boolean idle = batcher.isEmpty() && untilPackDue == UNTIL_WOKEN;
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
        if (stopping) {
            wait = Math.min(wait, Math.max(0, stopDeadline - now));
        }
        return Math.min(wait, drops.untilNextReport(now));
    }

    /** At the stop deadline: the ledger counts everything still held as dropped; stages forget it. */
    private void abandonAll() {
        ledger.releaseSettled();
        ledger.abandonAll(DropReason.SHUTDOWN);
        assembler.clear();
        if (offloader != null) {
            offloader.clear();
        }
        if (fallback != null) {
            fallback.clear();
        }
        batcher.clear();
        retries.clear();
        inFlight.abandon();
        finish();
    }

    private void finish() {
        ledger.releaseSettled();
        finished = true;
        intake.close(ledger, DropReason.SHUTDOWN);
        ledger.failFlushes();
        drops.reportIfDue(ticker.read(), true);
    }
}
