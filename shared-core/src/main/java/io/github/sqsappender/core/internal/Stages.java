package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.Backoff;
import io.github.sqsappender.core.DropReason;
import io.github.sqsappender.core.Fallback;
import io.github.sqsappender.core.LargeMessagePolicy;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.Ticker;
import io.github.sqsappender.core.WallClock;

import java.util.concurrent.Executor;

/**
 * One pipeline's stages, wired around its {@link Ledger} as the configuration asks: where S3 is not
 * used its stages are {@link S3Stage#NONE}, and the offload wraps the assembler. Also the endings
 * that touch every stage: giving everything up at the stop's deadline, and finishing. Dispatcher
 * thread only, once built.
 */
final class Stages {

    final MetricsRecorder metrics;
    final RateLimitedStatus status;
    final BufferBudget budget;
    final Ledger ledger;
    final Intake intake;
    final QueueResolver resolver;
    final MessageAssembler assembler;
    final BatchAssembler batcher;
    final InFlightRequests inFlight;
    final RetryQueue retries;
    final DropReporter drops;
    final Undeliverable undeliverable;
    final Outcomes outcomes;
    final SendStage sending;
    final S3Stage offload; // the Offloader, or NONE
    final S3Stage fallback; // the FallbackWriter, or NONE
    final CutOver cutOver; // only reached with a fallback: the stop plan has no cut-over without one
    final StopPlan stop;
    /** The per-message limit before the queue is known (what the cut-over assembles with then). */
    final int upperBoundMessageBytes;

    Stages(SqsAppenderConfig config, SqsSender sender, S3Store s3, String hostName, MessageEncoder encoder,
           Executor packThread, MetricsRecorder metrics, RateLimitedStatus status, Backoff backoff, Ticker ticker,
           WallClock wallClock) {
        if (config.usesS3() && s3 == null) {
            throw new IllegalArgumentException("the configuration uses S3 but no S3 store was given");
        }
        this.metrics = metrics;
        this.status = status;
        boolean fifo = config.isFifo();
        long now = ticker.read();
        long deliveryTimeoutNanos = config.deliveryTimeoutMs() * 1_000_000L;
        this.budget = new BufferBudget(config.bufferCapacity(), config.maxBufferBytes());
        this.ledger = new Ledger(budget, metrics);
        this.intake = new Intake(config.bufferCapacity(), budget, metrics, ticker);
        String configuredQueue = config.queueUrl() != null ? config.queueUrl().toString() : "queue '" + config.queueName() + "'";
        this.resolver = new QueueResolver(config.name(), configuredQueue, sender, config.maxMessageBytes(), backoff,
                status, metrics, wallClock, intake::wake, now);
        this.batcher = new BatchAssembler(config.maxBatchSize(), config.lingerMs() * 1_000_000L, fifo);
        // FIFO order across retries needs one request at a time: a later batch must not overtake
        // an earlier one that is being retried.
        this.inFlight = new InFlightRequests(fifo ? 1 : config.maxInFlight());
        this.retries = new RetryQueue(deliveryTimeoutNanos);
        SendGate gate = new SendGate(backoff, now);
        this.drops = new DropReporter(config.name(), metrics, status.unlimited(), now);
        FallbackWriter fallbackWriter = config.fallback() == Fallback.S3
                ? new FallbackWriter(config, s3, hostName, backoff, ledger, status, metrics, wallClock, intake::wake) : null;
        this.fallback = fallbackWriter != null ? fallbackWriter : S3Stage.NONE;
        this.stop = new StopPlan(fallbackWriter != null);
        this.undeliverable = new Undeliverable(ledger, fallbackWriter, status, metrics, wallClock, resolver::describe,
                deliveryTimeoutNanos);
        Offloader offloader = config.largeMessagePolicy() == LargeMessagePolicy.S3
                ? new Offloader(config, s3, backoff, ledger, undeliverable, status, metrics, wallClock, intake::wake) : null;
        this.offload = offloader != null ? offloader : S3Stage.NONE;
        MessageAssembler base = MessageAssembler.of(config, encoder, packThread, status);
        this.assembler = offloader != null ? new OffloadingAssembler(base, offloader, fifo) : base;
        // The cut-over takes messages from the base assembler: one too large for the queue goes to
        // the fallback with the rest, not into a new S3 upload the stop has no time left for.
        this.cutOver = new CutOver(retries, batcher, assembler, base, intake, ledger, fallbackWriter);
        this.outcomes = new Outcomes(ledger, retries, gate, resolver, undeliverable, metrics, status, wallClock);
        // Packing takes many events per message: waking the dispatcher every few events would only cost.
        int wakeEvents = config.isPacking() ? Math.max(1, Math.min(4_096, config.bufferCapacity() / 4)) : 0;
        this.sending = new SendStage(sender, metrics, ledger, intake, assembler, batcher, inFlight, retries, gate, fifo, wakeEvents);
        this.upperBoundMessageBytes = config.effectiveMaxMessageBytesUpperBound();
        metrics.bindGauges(budget::events, budget::bytes, inFlight::size);
    }

    /** True when nothing is held anywhere: the ledger, the intake, a flush waiting to be registered. */
    boolean holdsNothing() {
        return ledger.heldEvents() == 0 && intake.isEmpty() && !intake.hasPendingFlush();
    }

    /** At the stop deadline: the ledger counts everything still held as dropped; stages forget it. */
    void abandonAll(long now) {
        ledger.releaseSettled();
        ledger.abandonAll(DropReason.SHUTDOWN);
        assembler.clear();
        fallback.clear();
        batcher.clear();
        retries.clear();
        inFlight.abandon();
        finish(now);
    }

    /** The end: later offers are counted as dropped, waiting flushes fail, the last drops are reported. */
    void finish(long now) {
        ledger.releaseSettled();
        intake.close(ledger, DropReason.SHUTDOWN);
        ledger.failFlushes();
        drops.reportIfDue(now, true);
        assembler.close();
    }

    /**
     * The dispatcher thread is ending on an error it cannot survive: what it holds, what is still
     * in the intake and every later append are counted as {@code undeliverable}, and the status
     * channel says so, instead of the buffer filling silently.
     */
    void died(Throwable fatal) {
        status.unlimited().error("sqs-appender: the dispatcher thread died (" + fatal
                + "); events are no longer delivered and are counted as undeliverable", fatal);
        ledger.releaseSettled();
        ledger.abandonAll(DropReason.UNDELIVERABLE);
        intake.close(ledger, DropReason.UNDELIVERABLE);
        assembler.close();
    }
}
