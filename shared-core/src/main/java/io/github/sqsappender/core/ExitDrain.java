package io.github.sqsappender.core;

import java.util.concurrent.TimeUnit;

/**
 * What a pipeline's JVM exit hook runs. The JVM starts every shutdown hook at once, in no order,
 * and the others still log: a Spring context closing, Spark's "Shutdown hook called", an
 * asynchronous appender handing over its queue, a Logback {@code <shutdownHook>} delay. So the
 * drain keeps taking events: it sends what is buffered without waiting for the linger, then waits
 * one {@link #QUIET_MILLIS quiet interval}; while events keep arriving it sends them and waits
 * again. It stops the pipeline once an interval passed with nothing new, or once half of
 * {@code shutdownTimeoutMs} has passed (the stop keeps the other half, to deliver or to move to the
 * fallback) — whatever arrives after the stop is counted as {@code shutdown} — and not at all when
 * the framework stops the pipeline first (its stop is the one that delivers).
 *
 * <p>Before all that, while a framework's own exit hook that will stop the pipeline is still
 * running ({@link Pipeline#frameworkExiting}: Spring Boot closing its contexts, which can take as
 * long as a graceful shutdown's requests; a Logback {@code <shutdownHook>} waiting out its delay),
 * the drain keeps sending what arrives and waits for that stop, however long the hook
 * takes: the JVM waits for that hook anyway, so lines logged until then still reach the queue. If
 * the hook ends without stopping the pipeline, the drain above runs from then on.
 *
 * <p>Runs on the exit hook's thread only; never throws.
 */
final class ExitDrain implements Runnable {

    /**
     * How long nothing new must arrive before the exit hook stops the pipeline: long enough for
     * the other shutdown hooks, started with ours, to log what they log at once; short enough not
     * to hold up an exit. It is also the least an exit with this hook takes.
     */
    static final long QUIET_MILLIS = 250;

    /** The pipeline, as the drain sees it. */
    interface Pipeline {
        /** Events appended so far; it only grows. */
        long appended();

        /** Sends what was appended before the call without waiting for the linger; does not wait. */
        void requestFlush();

        /**
         * Waits at most {@code timeoutMillis} for a stop by anyone to finish, sending what is
         * logged meanwhile without waiting for the linger; true once it has stopped.
         */
        boolean awaitStopped(long timeoutMillis) throws InterruptedException;

        /** The pipeline's bounded stop; {@code timeoutMillis} is at least 1. */
        void stop(long timeoutMillis);

        /**
         * True while a framework's exit hook that will stop the pipeline runs, or is about to
         * (the JVM starts its hooks one after another). Asked once per quiet interval.
         */
        boolean frameworkExiting();
    }

    private final Pipeline pipeline;
    private final long shutdownTimeoutMillis;
    private final Ticker ticker;
    private long deadline; // of the drain under way: its stop must end by then

    ExitDrain(Pipeline pipeline, long shutdownTimeoutMillis, Ticker ticker) {
        this.pipeline = pipeline;
        this.shutdownTimeoutMillis = shutdownTimeoutMillis;
        this.ticker = ticker;
        this.deadline = ticker.read() + TimeUnit.MILLISECONDS.toNanos(shutdownTimeoutMillis);
    }

    @Override
    public void run() {
        boolean waitedForAFramework = false;
        try {
            while (true) {
                // The JVM starts the hooks one after another: a framework's may start just after
                // ours, so it is looked for again after every quiet interval below.
                while (frameworkExiting()) {
                    waitedForAFramework = true;
                    pipeline.requestFlush();
                    if (pipeline.awaitStopped(QUIET_MILLIS)) {
                        return; // the framework stopped it: that stop delivered
                    }
                }
                if (drainUntilQuiet()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the JVM is going: stop now, with the time left
            pipeline.stop(Math.max(1, waitedForAFramework ? shutdownTimeoutMillis : millisBefore(deadline)));
        }
    }

    /**
     * Sends what arrives each quiet interval until one passes with nothing new (or half the
     * timeout has passed), then stops the pipeline: true once it is stopped, by us or by the
     * framework; false when a framework's exit hook turned out to be running, to be waited for.
     */
    private boolean drainUntilQuiet() throws InterruptedException {
        long start = ticker.read();
        deadline = start + TimeUnit.MILLISECONDS.toNanos(shutdownTimeoutMillis);
        long quietDeadline = start + TimeUnit.MILLISECONDS.toNanos(shutdownTimeoutMillis / 2);
        long seen = -1;
        for (long appended = pipeline.appended(); appended != seen && millisBefore(quietDeadline) > 0;
             appended = pipeline.appended()) {
            seen = appended;
            pipeline.requestFlush();
            if (pipeline.awaitStopped(Math.min(QUIET_MILLIS, millisBefore(quietDeadline)))) {
                return true; // the framework stopped it: that stop delivered
            }
            if (frameworkExiting()) {
                return false;
            }
        }
        pipeline.stop(Math.max(1, millisBefore(deadline)));
        return true;
    }

    /** {@link Pipeline#frameworkExiting}; false when that cannot be told (then drain as without one). */
    private boolean frameworkExiting() {
        try {
            return pipeline.frameworkExiting();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private long millisBefore(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - ticker.read()));
    }
}
