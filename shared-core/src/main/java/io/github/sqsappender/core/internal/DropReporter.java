package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.StatusPort;

/**
 * Reports dropped events through the status port, as errors (warnings when all of them were empty
 * bodies, which are never sent), at most every ten seconds (and once more when
 * the dispatcher ends), with the totals by reason, so a dead endpoint cannot flood the channel
 * and no drop goes unreported. Dispatcher thread only.
 */
final class DropReporter {

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final String name;
    private final MetricsRecorder metrics;
    private final StatusPort status;
    private long nextReportAt;
    private long droppedAtLastReport;
    private long lostAtLastReport;

    DropReporter(String name, MetricsRecorder metrics, StatusPort status, long now) {
        this.name = name;
        this.metrics = metrics;
        this.status = status;
        this.nextReportAt = now;
    }

    /** Reports drops since the last report if the interval has passed, or at once with {@code force}. */
    void reportIfDue(long now, boolean force) {
        long dropped = metrics.getEventsDropped();
        if (dropped == droppedAtLastReport || (!force && now - nextReportAt < 0)) {
            return;
        }
        long delta = dropped - droppedAtLastReport;
        long lost = metrics.eventsLost();
        droppedAtLastReport = dropped;
        nextReportAt = now + INTERVAL_NANOS;
        String report = "sqs-appender '" + name + "' dropped " + delta + " events since the last report; totals: "
                + metrics.summary();
        if (lost != lostAtLastReport) {
            // An error, not a warning: Log4j2's status logger shows only errors unless configured otherwise
            // (Spark's log4j2.properties does not), and a lost event is one to whoever reads the queue.
            status.error(report, null);
        } else {
            status.warn(report, null); // only empty bodies, which are never sent: reported, not an error
        }
        lostAtLastReport = lost;
    }

    /** Nanoseconds until a pending report is due, or {@link Dispatcher#UNTIL_WOKEN} if none is. */
    long untilNextReport(long now) {
        return metrics.getEventsDropped() == droppedAtLastReport ? Dispatcher.UNTIL_WOKEN : Math.max(0, nextReportAt - now);
    }
}
