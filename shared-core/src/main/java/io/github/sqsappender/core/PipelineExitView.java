package io.github.sqsappender.core;

import io.github.sqsappender.core.jvm.FrameworkExitThreads;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the JVM exit hook's {@link ExitDrain} sees of a pipeline: its appended count, its flush
 * request, its stop, and the frameworks' own exit hooks it is to wait for. Waiting, it sends what is
 * logged meanwhile every {@link #EXIT_SEND_MILLIS}. The exit hook's thread, except
 * {@link #frameworkExitThreads(Supplier)} (the lifecycle thread).
 */
final class PipelineExitView implements ExitDrain.Pipeline {

    /** At exit, how often what was logged since is sent (see {@link #awaitStopped}). */
    static final long EXIT_SEND_MILLIS = 50;
    /** How long a framework's exit hook that has not started yet is still expected to. */
    private static final long HOOK_START_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Waits for the pipeline's stop by anyone; true once it has stopped. */
    @FunctionalInterface
    interface StopWait {
        boolean await(long millis) throws InterruptedException;
    }

    private final LongSupplier appended;
    private final Runnable requestFlush;
    private final StopWait stopped;
    private final LongConsumer stop;
    private final Ticker ticker;
    private volatile Supplier<? extends Collection<Thread>> frameworkExitThreads = List::of;
    private long firstAskedAt = Long.MIN_VALUE;

    PipelineExitView(LongSupplier appended, Runnable requestFlush, StopWait stopped, LongConsumer stop, Ticker ticker) {
        this.appended = appended;
        this.requestFlush = requestFlush;
        this.stopped = stopped;
        this.stop = stop;
        this.ticker = ticker;
    }

    /** The frameworks' own exit hooks that will stop the pipeline, asked for at exit (Spring Boot's is always looked for). */
    void frameworkExitThreads(Supplier<? extends Collection<Thread>> threads) {
        this.frameworkExitThreads = threads;
    }

    @Override
    public long appended() {
        return appended.getAsLong();
    }

    @Override
    public void requestFlush() {
        requestFlush.run();
    }

    /**
     * Waits up to {@code millis} for the pipeline's stop, sending what is logged meanwhile every
     * {@link #EXIT_SEND_MILLIS} without waiting for the linger: a container that is stopped kills
     * the JVM soon after its SIGTERM (YARN: 250 ms), and the lines the exit's other hooks log must
     * not wait for the next quiet interval.
     */
    @Override
    public boolean awaitStopped(long millis) throws InterruptedException {
        long seen = -1; // whatever arrived since the caller's last flush request is sent at the first look
        for (long left = millis; ; left -= EXIT_SEND_MILLIS) {
            if (stopped.await(Math.max(0, Math.min(EXIT_SEND_MILLIS, left)))) {
                return true;
            }
            if (left <= EXIT_SEND_MILLIS) {
                return false;
            }
            long now = appended.getAsLong();
            if (now != seen) {
                seen = now;
                requestFlush.run();
            }
        }
    }

    @Override
    public void stop(long millis) {
        stop.accept(millis);
    }

    @Override
    public boolean frameworkExiting() {
        long now = ticker.read();
        if (firstAskedAt == Long.MIN_VALUE) {
            firstAskedAt = now;
        }
        // A hook not started yet will be, unless it was never registered: it counts for a moment.
        boolean notStartedCounts = now - firstAskedAt < HOOK_START_NANOS;
        List<Thread> hooks = new ArrayList<>(FrameworkExitThreads.springBoot());
        hooks.addAll(frameworkExitThreads.get());
        for (Thread hook : hooks) {
            if (hook != Thread.currentThread()
                    && (hook.isAlive() || (notStartedCounts && hook.getState() == Thread.State.NEW))) {
                return true;
            }
        }
        return false;
    }
}
