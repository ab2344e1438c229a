package io.github.sqsappender.core;

import io.github.sqsappender.core.internal.Dispatcher;
import io.github.sqsappender.core.jvm.ExitHook;
import io.github.sqsappender.core.jvm.FeedbackGuard;
import io.github.sqsappender.core.jvm.MBeanRegistration;
import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.ThreadJoins;
import io.github.sqsappender.core.jvm.WorkerThread;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SqsSender;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A pipeline's start and its one stop: the dispatcher thread, the MBean, the JVM exit hook, the
 * hooks run before a stop, and the teardown in the order the parts depend on each other (the
 * dispatcher delivers, then S3, the pack thread and the client close, then the summary). Start and
 * stop may race (a framework's stop against the exit hook's): one lock orders them, and a stopped
 * pipeline stays stopped.
 *
 * <p>Threading: {@link #start}, {@link #stop} and {@link #stopAtJvmExit} from the lifecycle thread
 * or the exit hook; the queries and {@link #beforeStop} from any thread.
 */
final class PipelineLifecycle {

    private final SqsAppenderConfig config;
    private final StatusPort status;
    private final MetricsRecorder metrics;
    private final Dispatcher dispatcher;
    private final WorkerThread packThread;
    private final SqsSender sender;
    private final S3Store s3; // null unless the configuration uses S3
    private final Ticker ticker;
    private final Object lock = new Object();
    private final CountDownLatch stopDone = new CountDownLatch(1);
    private final List<Runnable> beforeStop = new CopyOnWriteArrayList<>();
    private final ExitHook exitHook;
    private Thread thread;
    private MBeanRegistration mbean;
    private volatile boolean started;
    private volatile boolean stopped;

    PipelineLifecycle(SqsAppenderConfig config, StatusPort status, MetricsRecorder metrics, Dispatcher dispatcher,
                      WorkerThread packThread, SqsSender sender, S3Store s3, ExitHook exitHook, Ticker ticker) {
        this.config = config;
        this.status = status;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.packThread = packThread;
        this.sender = sender;
        this.s3 = s3;
        this.exitHook = exitHook;
        this.ticker = ticker;
    }

    /**
     * Reports the configuration's ignored attributes, starts the dispatcher thread and registers
     * the MBean; idempotent; does nothing once stopped.
     */
    void start() {
        synchronized (lock) {
            if (started || stopped) {
                return;
            }
            for (String ignored : config.ignoredAttributes()) {
                status.warn("sqs-appender '" + config.name() + "': " + ignored, null);
            }
            if (config.jmx()) {
                try {
                    mbean = MBeanRegistration.register(config.name(), metrics, status);
                } catch (LinkageError e) { // a runtime without java.management (a jlink image): metrics through the API only
                    status.warn("sqs-appender '" + config.name() + "': no JMX in this runtime (" + e
                            + "); the metrics are available through getMetrics(); set jmx=false to skip this", null);
                }
            }
            thread = new Thread(dispatcher::runLoop, FeedbackGuard.THREAD_PREFIX + config.name());
            thread.setDaemon(true);
            dispatcher.bindThread(thread);
            thread.start();
            started = true;
        }
    }

    /** Installs the exit hook unless stopped; {@link #stop} removes it again. */
    void stopAtJvmExit() {
        synchronized (lock) {
            if (!stopped) {
                exitHook.install();
            }
        }
    }

    void beforeStop(Runnable hook) {
        beforeStop.add(hook);
    }

    void removeBeforeStop(Runnable hook) {
        beforeStop.remove(hook);
    }

    boolean isStarted() {
        return started;
    }

    /** True from the moment a stop begins; events may still be delivered until the dispatcher finishes. */
    boolean isStopped() {
        return stopped;
    }

    /** Waits at most {@code millis} for a stop by anyone to finish; true once it has. */
    boolean awaitStopped(long millis) throws InterruptedException {
        return stopDone.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the before-stop hooks, then (once) delivers within the timeout ({@code 0} means
     * {@code shutdownTimeoutMs}), tears down and reports the summary.
     *
     * @return true if nothing appended was dropped
     */
    boolean stop(long timeoutMillis) {
        for (Runnable hook : beforeStop) {
            try {
                hook.run();
            } catch (RuntimeException | LinkageError e) {
                status.warn("sqs-appender '" + config.name() + "': a before-stop step failed: " + e, e);
            }
        }
        synchronized (lock) {
            if (stopped) {
                return metrics.eventsLost() == 0;
            }
            stopped = true;
            long timeout = timeoutMillis > 0 ? timeoutMillis : config.shutdownTimeoutMs();
            deliver(timeout);
            tearDown();
            report(timeout);
            stopDone.countDown();
            return metrics.eventsLost() == 0;
        }
    }

    private void deliver(long timeout) {
        if (!started) {
            // Never started: nothing can deliver what was appended; count it (shutdown), never lose it silently.
            dispatcher.finishWithoutRunning();
            return;
        }
        dispatcher.requestStop(ticker.read() + TimeUnit.MILLISECONDS.toNanos(timeout));
        ThreadJoins.joinQuietly(thread, timeout + 2_000);
        if (thread.isAlive()) {
            status.error("sqs-appender '" + config.name() + "': dispatcher did not finish within " + timeout + " ms", null);
        }
    }

    private void tearDown() {
        if (s3 != null) {
            s3.close(); // before the sender: it may share the sender's event loops
        }
        packThread.close(5_000); // a job never run belongs to events the ledger has already given up
        sender.close();
        exitHook.uninstall();
        if (mbean != null) {
            mbean.close();
        }
    }

    private void report(long timeout) {
        String summary = "sqs-appender '" + config.name() + "' stopped (shutdown timeout " + timeout + " ms): "
                + metrics.summary();
        if (metrics.eventsLost() > 0) {
            status.error(summary, null); // events were lost: as visible as the drop reports
        } else {
            status.info(summary);
        }
    }
}
