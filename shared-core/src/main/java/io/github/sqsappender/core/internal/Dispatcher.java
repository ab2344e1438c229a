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
    private volatile boolean stopRequested;
    private volatile long stopDeadline;
    private volatile boolean finished;

    public Dispatcher(SqsAppenderConfig config, SqsSender sender, MessageEncoder encoder, MetricsRecorder metrics,
                      RateLimitedStatus status, Backoff backoff, Ticker ticker, WallClock wallClock) {
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
        this.outcomes = new Outcomes(ledger, retries, gate, resolver, metrics, status, wallClock);
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
        routeCompletions(now);
        intake.wakeBlockedProducers(ledger.takeFreed());
        boolean stopping = stopRequested;
        if (stopping && now - stopDeadline >= 0) {
            abandonAll();
            return FINISHED;
        }
        drops.reportIfDue(now, false);
        if (target != null) {
            sendWhatIsDue(target, now, stopping);
        }
        if (stopping && holdsNothing()) {
            finish();
            return FINISHED;
        }
        return target == null ? untilResolved(now, stopping) : untilNextStep(now, stopping);
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
            batcher.fill(now, retries, () -> assembler.next(intake, ledger, limit, now, stopping), ledger);
            ledger.releaseSettled(); // events dropped on assembly
            boolean urgent = stopping || intake.hasPendingFlush() || ledger.hasActiveFlushes();
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
            boolean takesNew = !fifo || retries.isEmpty(); // FIFO: nothing new while a retry waits
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
