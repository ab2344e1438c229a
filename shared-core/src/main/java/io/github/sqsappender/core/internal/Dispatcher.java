package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.HostName;
import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.Backoff;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.Ticker;
import io.github.sqsappender.core.WallClock;

import java.util.concurrent.Executor;

/**
 * Moves events from the application threads to SQS: one loop over named stages ({@link Stages})
 * around one {@link Ledger}. See the package documentation for the threading model.
 *
 * <p>Producer side (any thread): {@link #intake()}, {@link #requestStop}, {@link #isFinished}.
 * Consumer side (the dispatcher thread only): {@link #runOnce} and {@link #runLoop}.
 * <b>WARNING:</b> calling {@code runOnce} from two threads corrupts its state.
 */
public final class Dispatcher {

    /** Returned by {@link #runOnce} once the dispatcher has finished after a stop. */
    public static final long FINISHED = -1;
    /** Returned by {@link #runOnce} when only a wake-up (event, completion) can make progress. */
    public static final long UNTIL_WOKEN = Long.MAX_VALUE;

    private final Stages stages;
    private final Ticker ticker;
    private final WallClock wallClock;
    private volatile boolean finished;

    /** A dispatcher without S3 (neither {@code largeMessagePolicy=s3} nor {@code fallback=s3}). */
    public Dispatcher(SqsAppenderConfig config, SqsSender sender, MessageEncoder encoder, MetricsRecorder metrics,
                      RateLimitedStatus status, Backoff backoff, Ticker ticker, WallClock wallClock) {
        this(config, sender, null, HostName.get(), encoder, Runnable::run, metrics, status, backoff, ticker, wallClock);
    }

    /**
     * @param s3       where offloaded bodies and fallback objects are written; required when the
     *                 configuration uses S3, ignored otherwise
     * @param hostName the host part of fallback object keys
     * @param packThread where packs' bodies are written (and gzip'ed): a thread of the pipeline's, so
     *                   the dispatcher goes on meanwhile; {@code Runnable::run} writes them on the
     *                   dispatcher (tests that drive {@link #runOnce} by hand)
     */
    public Dispatcher(SqsAppenderConfig config, SqsSender sender, S3Store s3, String hostName, MessageEncoder encoder,
                      Executor packThread, MetricsRecorder metrics, RateLimitedStatus status, Backoff backoff,
                      Ticker ticker, WallClock wallClock) {
        this.stages = new Stages(config, sender, s3, hostName, encoder, packThread, metrics, status, backoff, ticker,
                wallClock);
        this.ticker = ticker;
        this.wallClock = wallClock;
    }

    // ------------------------------------------------------------------ producer side

    /** The producer side: where application threads offer events and request flushes. */
    public Intake intake() {
        return stages.intake;
    }

    /**
     * Asks the dispatcher to deliver what it holds and finish by {@code deadlineNanos} (ticker
     * time). Any thread; idempotent; the earliest deadline wins.
     */
    public void requestStop(long deadlineNanos) {
        stages.stop.request(deadlineNanos, ticker.read());
        stages.intake.wake();
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
            stages.abandonAll(ticker.read());
            finished = true;
        }
    }

    /** Binds the thread that runs {@link #runOnce}; producers unpark it. */
    public void bindThread(Thread dispatcherThread) {
        stages.intake.bindDispatcher(dispatcherThread);
    }

    // ------------------------------------------------------------------ consumer side

    /**
     * One step of the loop: the stop's phase, the queue, the outcomes of finished requests, the S3
     * stages, the cut-over or the expiry of events while the queue is unknown, the sends that are
     * due; then the room freed wakes blocked producers, drops are reported, and the step returns
     * how long to park. Dispatcher thread only.
     *
     * @param now the ticker's current reading
     * @return nanoseconds the thread may park before the next step ({@link #UNTIL_WOKEN} if only a
     *         wake-up can make progress, 0 to run again at once), or {@link #FINISHED}
     */
    public long runOnce(long now) {
        if (finished) {
            return FINISHED;
        }
        Stages s = stages;
        s.intake.stepStarted(now);
        StopPlan.Phase phase = s.stop.phase(now);
        boolean stopping = phase != StopPlan.Phase.RUNNING;
        if (stopping) {
            s.resolver.stopping(now);
        }
        SqsSender.QueueTarget target = s.resolver.poll(now);
        s.outcomes.apply(s.inFlight.takeCompleted(), now);
        s.ledger.releaseSettled(); // before the sends: their pressure and flush checks see the room freed
        if (phase == StopPlan.Phase.DEADLINE) {
            s.offload.settle(now); // what S3 stored in time counts as stored, not as lost
            s.fallback.settle(now);
            return finish(() -> s.abandonAll(now));
        }
        s.offload.poll(now, phase, stopping);
        if (phase == StopPlan.Phase.CUT_OVER) {
            s.cutOver.run(target != null ? target.maxMessageBytes() : s.upperBoundMessageBytes, now);
        } else if (target == null) {
            s.undeliverable.expireUnresolved(s.intake, now, stopping && s.resolver.unreachableForTheStop());
        }
        boolean urgent = stopping || s.intake.hasPendingFlush() || s.ledger.hasActiveFlushes();
        s.fallback.poll(now, phase, urgent);
        if (target != null && phase != StopPlan.Phase.CUT_OVER) {
            s.sending.sendWhatIsDue(target, now, stopping);
        }
        s.ledger.releaseSettled(); // every stage above may have settled events: their room is free now
        s.intake.wakeBlockedProducers(s.ledger.takeFreed());
        s.drops.reportIfDue(now, false);
        if (stopping && s.holdsNothing()) {
            return finish(() -> s.finish(now));
        }
        return Math.min(Math.min(untilNextStep(target, phase, now), s.stop.untilNextPhase(now, phase)),
                Math.min(s.offload.untilNextDue(now), s.fallback.untilNextDue(now)));
    }

    /** How long to park after a step that did not finish, the wake-up for new events armed; 0 to go on at once. */
    private long untilNextStep(SqsSender.QueueTarget target, StopPlan.Phase phase, long now) {
        Stages s = stages;
        if (phase == StopPlan.Phase.CUT_OVER) {
            // Events appended during the stop go to the fallback too: the first one must wake us.
            return s.intake.armWake(1) ? UNTIL_WOKEN : 0;
        }
        if (target == null) {
            s.intake.stampWithTheTicker(); // parked until the next lookup: events expire from their stamps
            return Math.min(s.resolver.untilNextAttempt(now), s.undeliverable.untilExpiry(s.intake, now));
        }
        return Math.min(s.sending.untilNextSend(now), s.drops.untilNextReport(now));
    }

    private long finish(Runnable ending) {
        ending.run();
        finished = true;
        return FINISHED;
    }

    /** Runs the loop on the current thread until the dispatcher finishes ({@link DispatcherLoop}). */
    public void runLoop() {
        bindThread(Thread.currentThread());
        DispatcherLoop.run(this, ticker, stages.metrics, stages.status, wallClock);
    }

    /** The loop's thread is ending on an error it cannot survive ({@link Stages#died}). */
    void died(Throwable fatal) {
        finished = true;
        try {
            stages.died(fatal);
        } catch (Throwable ignored) {
            // nothing more can be done on a dying thread
        }
    }
}
