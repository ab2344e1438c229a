package io.github.sqsappender.core;

import io.github.sqsappender.core.aws.S3Stores;
import io.github.sqsappender.core.aws.SdkSqsSender;
import io.github.sqsappender.core.internal.Dispatcher;
import io.github.sqsappender.core.jvm.ExitHook;
import io.github.sqsappender.core.jvm.FeedbackGuard;
import io.github.sqsappender.core.jvm.HostName;
import io.github.sqsappender.core.internal.MessageEncoder;
import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.internal.IntakeEvent;
import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.jvm.WorkerThread;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One appender's engine, shared by both adapters: encode on the caller's thread, buffer, batch,
 * send, retry, account. Adapters create it from a validated {@link SqsAppenderConfig}, call
 * {@link #start()}, feed it formatted events through {@link #append}, and {@link #stop} it.
 *
 * <p>Threading: {@link #append}, {@link #isShippable} and {@link #flush} may be called from any
 * thread concurrently; {@link #start()} and {@link #stop} by the framework's lifecycle thread.
 * Nothing here ever throws into a caller of {@code append}.
 */
public final class SqsPipeline {

    private static final long STATUS_INTERVAL_NANOS = 10_000_000_000L;

    private final SqsAppenderConfig config;
    private final StatusPort status;
    private final Ticker ticker;
    private final MetricsRecorder metrics = new MetricsRecorder();
    private final FlushOutcomes flushOutcomes = new FlushOutcomes(metrics::eventsLost);
    private final MessageEncoder encoder;
    private final Dispatcher dispatcher;
    private final WallClock wallClock;
    private final PipelineLifecycle lifecycle;
    private final LateDrops lateDrops;
    private final PipelineExitView exitView;

    SqsPipeline(SqsPipelineBuilder b) {
        this.config = b.config;
        this.status = b.status;
        SqsSender sender = b.sender != null ? b.sender : SdkSqsSender.create(config);
        S3Store s3 = !config.usesS3() ? null : b.s3 != null ? b.s3 : S3Stores.create(config, sender); // null unless used
        this.ticker = b.ticker;
        this.wallClock = b.wallClock;
        this.encoder = new MessageEncoder(config, HostName.get(), ticker, metrics);
        this.lateDrops = new LateDrops(config.name(), metrics, status);
        // writes (and gzips) packs' bodies; its thread starts with the first pack
        WorkerThread packThread = new WorkerThread(FeedbackGuard.THREAD_PREFIX + config.name() + "-pack");
        this.dispatcher = new Dispatcher(config, sender, s3, HostName.get(), encoder, packThread, metrics,
                new RateLimitedStatus(status, ticker, STATUS_INTERVAL_NANOS), b.backoff, ticker, wallClock);
        this.exitView = new PipelineExitView(metrics::getEventsAppended, () -> dispatcher.intake().requestFlush(),
                this::awaitStopped, this::stop, ticker);
        ExitHook exitHook = new ExitHook(config.name(), b.shutdownHooks,
                new ExitDrain(exitView, config.shutdownTimeoutMs(), ticker), status);
        this.lifecycle = new PipelineLifecycle(config, status, metrics, dispatcher, packThread, sender, s3, exitHook, ticker);
    }

    private boolean awaitStopped(long millis) throws InterruptedException {
        return lifecycle.awaitStopped(millis); // a method: the exit view is built before the lifecycle
    }

    /**
     * Creates a pipeline that sends with the AWS SDK. Does no I/O: the client is built (on a thread
     * of its own) and the queue looked up after {@link #start()}.
     *
     * @throws IllegalStateException naming the attribute when a configured feature cannot work
     *                               in this runtime (e.g. {@code roleArn} without the sts module)
     */
    public static SqsPipeline create(SqsAppenderConfig config, StatusPort status) {
        return builder(config, status).build();
    }

    /** Creates a pipeline around any sender; for tests and tools. */
    public static SqsPipeline create(SqsAppenderConfig config, StatusPort status, SqsSender sender, Ticker ticker) {
        return builder(config, status).sender(sender).ticker(ticker).build();
    }

    /** A builder whose defaults are production's: the SDK sender, the system ticker, the JVM's hooks. */
    public static SqsPipelineBuilder builder(SqsAppenderConfig config, StatusPort status) {
        return new SqsPipelineBuilder(config, status);
    }

    /** Starts the dispatcher thread and registers the MBean. Returns at once; idempotent; does nothing once stopped. */
    public void start() {
        lifecycle.start();
    }

    /** The exit hook's wait ({@link PipelineExitView#awaitStopped}); for tests. */
    boolean awaitStoppedSendingWhatArrives(long millis) throws InterruptedException {
        return exitView.awaitStopped(millis);
    }

    /**
     * Makes this pipeline stop itself when the JVM exits, if nothing stopped it before: a JVM
     * shutdown hook delivers what is buffered and what other shutdown hooks still log, and stops
     * the pipeline once logging has been quiet for a moment, within {@code shutdownTimeoutMs};
     * while Spring Boot's shutdown hook runs, it sends what arrives and leaves the stop to that
     * hook (see {@link ExitDrain}). {@link #stop} removes the hook, so a stopped pipeline leaves
     * none behind. Idempotent; lifecycle thread; does nothing once stopped.
     */
    public void stopAtJvmExit() {
        lifecycle.stopAtJvmExit();
    }

    /**
     * As {@link #stopAtJvmExit()}, and at exit the hook first waits while {@code frameworkExitThreads}
     * (the framework's own shutdown hooks, which stop the appender) run, sending what is logged
     * meanwhile. Idempotent; lifecycle thread; does nothing once stopped.
     *
     * @param frameworkExitThreads asked on the exit hook's thread, once per quiet interval; must not block
     */
    public void stopAtJvmExit(Supplier<? extends Collection<Thread>> frameworkExitThreads) {
        exitView.frameworkExitThreads(frameworkExitThreads);
        lifecycle.stopAtJvmExit();
    }

    /**
     * True when an event from {@code loggerName}, logged on the current thread, may be shipped:
     * false for the SDK's, Netty's and HTTP clients' loggers and for the appender's own threads.
     * Adapters call it before formatting, so excluded events cost nothing.
     */
    public boolean isShippable(String loggerName) {
        return !FeedbackGuard.isExcluded(loggerName);
    }

    /**
     * Formats one framework event on the calling thread and buffers it: the adapters' append.
     * Events that must not be shipped ({@link #isShippable}, or logged on one of the appender's
     * threads and handed over by an asynchronous stage) cost nothing and are not counted; a
     * formatter that throws is counted as appended and dropped ({@code undeliverable}) and
     * reported, never thrown. Otherwise as {@link #append(String, Object, EventAccessor)}.
     */
    public <E> void append(E event, EventFormatter<E> formatter, EventAccessor<E> accessor) {
        // The thread that logged, not only the current one: behind an asynchronous appender or
        // logger, an event from the appender's own threads reaches us on the framework's thread.
        if (isShippable(accessor.loggerName(event)) && !FeedbackGuard.isAppenderThreadName(accessor.threadName(event))) {
            formatAndAppend(event, formatter, accessor, true);
        }
    }

    /**
     * Encodes and buffers one formatted event (the layout's or encoder's output). Never throws,
     * never does I/O; blocks only under {@code overflowPolicy=block}, at most {@code blockTimeoutMs}.
     * Every event is either buffered for delivery or counted as dropped.
     */
    public <E> void append(String body, E event, EventAccessor<E> accessor) {
        append(body, event, accessor, true);
    }

    /**
     * Formats and buffers one line captured from {@code System.out} / {@code System.err}, as
     * {@link #append(Object, EventFormatter, EventAccessor)} but never waiting for room, whatever
     * {@code overflowPolicy} (a line that does not fit is counted as {@code overflow}), and never
     * using the buffer's share kept for WARN and ERROR events, whatever its level: a program
     * printing heavily to stderr must not crowd out the application's real errors.
     */
    public <E> void appendCaptured(E event, EventFormatter<E> formatter, EventAccessor<E> accessor) {
        formatAndAppend(event, formatter, accessor, false);
    }

    /**
     * Counts {@code lines} captured lines printed while a reconfiguration replaced this appender,
     * past what is kept for its successor, as appended and dropped ({@code overflow}), and reports
     * them. Any thread.
     */
    public void capturedLinesLost(long lines) {
        metrics.appendedAndDropped(lines, DropReason.OVERFLOW);
        status.warn("sqs-appender '" + config.name() + "': " + lines + " lines printed during a reconfiguration "
                + "reached the console but no appender (counted as overflow)", null);
    }

    /** Formats on the calling thread; a formatter that throws is counted as appended and dropped ({@code undeliverable}). */
    private <E> void formatAndAppend(E event, EventFormatter<E> formatter, EventAccessor<E> accessor, boolean mayWait) {
        String body;
        try {
            body = formatter.format(event);
        } catch (RuntimeException | LinkageError e) {
            metrics.appended();
            metrics.dropped(DropReason.UNDELIVERABLE);
            metrics.error("layout/encoder failed: " + e, wallClock.currentTimeMillis());
            return;
        }
        append(body, event, accessor, mayWait);
    }

    /** {@code mayWait} false for a captured line, which also never uses the WARN/ERROR share of the buffer. */
    private <E> void append(String body, E event, EventAccessor<E> accessor, boolean mayWait) {
        try {
            metrics.appended();
            if (lifecycle.isStopped() && dispatcher.isFinished()) {
                lateDrops.dropped(!mayWait);
                return;
            }
            IntakeEvent message = encoder.encode(body, event, accessor, dispatcher.intake().arrivalTime(), mayWait);
            if (message == null || dispatcher.intake().offer(message)) {
                return;
            }
            if (mayWait && config.overflowPolicy() == OverflowPolicy.BLOCK && config.blockTimeoutMs() > 0
                    && !lifecycle.isStopped() && !FeedbackGuard.isAppenderThread() && accessor.isLoggedOnCurrentThread(event)
                    && dispatcher.intake().offerWaiting(message, ticker.read() + TimeUnit.MILLISECONDS.toNanos(config.blockTimeoutMs()))) {
                return;
            }
            metrics.dropped(DropReason.OVERFLOW);
        } catch (RuntimeException | LinkageError e) {
            // Never into the application. Should not happen; keep the accounting honest if it does.
            metrics.dropped(DropReason.UNDELIVERABLE);
            metrics.error("append failed: " + e, wallClock.currentTimeMillis());
        }
    }

    /**
     * Sends everything appended before this call without waiting for the linger, and waits until
     * it is delivered or given up, at most {@code timeoutMillis}: for short-lived runtimes such as
     * AWS Lambda, before the function returns. Any thread.
     *
     * @return true if everything appended before the call was delivered in time and nothing but
     *         empty bodies (never sent) was dropped since the previous flush or the start
     */
    public boolean flush(long timeoutMillis) {
        boolean delivered = !lifecycle.isStarted() || lifecycle.isStopped()
                ? dispatcher.isFinished() && metrics.getBufferedEvents() == 0
                : FlushOutcomes.await(dispatcher.intake().requestFlush(), timeoutMillis);
        return flushOutcomes.answer(delivered);
    }

    /**
     * Runs {@code hook} at the start of every {@link #stop} (a framework's stop, or the JVM exit hook),
     * while events are still taken: where an adapter hands over what it still holds (captured
     * partial lines). Any thread; the hook must not throw or block.
     */
    public void beforeStop(Runnable hook) {
        lifecycle.beforeStop(hook);
    }

    /** Removes a {@link #beforeStop} hook (the same instance). Any thread. */
    public void removeBeforeStop(Runnable hook) {
        lifecycle.removeBeforeStop(hook);
    }

    /**
     * Waits for the appends {@code gate} counts (those past the framework's "is started" check),
     * then {@linkplain #stop(long) stops}, the two within one {@code shutdownTimeoutMs}. Lifecycle thread.
     *
     * @param ownAppends appends of the calling thread in progress (a stop from inside an append), not waited for
     * @return true if everything appended was delivered (empty bodies, never sent, aside)
     */
    public boolean stopAfterAppends(AppendGate gate, int ownAppends) {
        long budget = config.shutdownTimeoutMs();
        long start = ticker.read();
        gate.awaitQuiet(ownAppends, budget);
        long spent = TimeUnit.NANOSECONDS.toMillis(ticker.read() - start);
        return stop(Math.max(1, budget - spent));
    }

    /**
     * Delivers what is buffered, stops the threads, closes the client and unregisters the MBean,
     * waiting at most the timeout ({@code 0}, which Log4j2's {@code LoggerContext.stop()} passes,
     * means {@code shutdownTimeoutMs}); what was not delivered by then is counted as dropped
     * ({@code shutdown}) and a summary reported. Idempotent; lifecycle thread.
     *
     * @return true if everything appended was delivered (empty bodies, never sent, aside)
     */
    public boolean stop(long timeoutMillis) {
        return lifecycle.stop(timeoutMillis);
    }

    /** True between {@link #start()} and the beginning of {@link #stop}. Any thread. */
    public boolean isStarted() {
        return lifecycle.isStarted() && !lifecycle.isStopped();
    }

    /** Live metrics of this appender; also exported over JMX when {@code jmx=true}. */
    public SqsAppenderMetrics metrics() {
        return metrics;
    }

    /** The validated configuration this pipeline was created from. */
    public SqsAppenderConfig config() {
        return config;
    }
}
