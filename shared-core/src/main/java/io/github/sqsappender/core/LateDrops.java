package io.github.sqsappender.core;

import io.github.sqsappender.core.jvm.FeedbackGuard;
import io.github.sqsappender.core.jvm.MetricsRecorder;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Events appended once the pipeline has stopped for good: each counted as dropped
 * ({@code shutdown}), the first one also reported. A captured line comes under
 * {@code System.out}'s lock, and a framework's status listener that prints to {@code System.out}
 * (Logback's {@code OnConsoleStatusListener}) takes its own lock and then that one: the report of
 * a captured line that comes with that lock held therefore goes out on a thread of its own. Any
 * thread.
 */
final class LateDrops {

    private final String name;
    private final MetricsRecorder metrics;
    private final StatusPort status;
    private final AtomicBoolean reported = new AtomicBoolean();

    LateDrops(String name, MetricsRecorder metrics, StatusPort status) {
        this.name = name;
        this.metrics = metrics;
        this.status = status;
    }

    /** Counts one event appended after the stop; {@code captured} for a line captured from a standard stream (or read by the command). */
    void dropped(boolean captured) {
        metrics.dropped(DropReason.SHUTDOWN);
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        Runnable report = () -> status.warn("sqs-appender '" + name + "': events logged after it stopped are dropped "
                + "(counted as shutdown); " + metrics.summary(), null);
        if (captured && (Thread.holdsLock(System.out) || Thread.holdsLock(System.err))) {
            Thread reporter = new Thread(report, FeedbackGuard.THREAD_PREFIX + name + "-report");
            reporter.setDaemon(true);
            reporter.start();
        } else {
            report.run();
        }
    }
}
