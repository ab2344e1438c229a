package io.github.sqsappender.core;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Events appended after the stop: counted each, reported once, never under the caller's locks for a captured line. */
@Timeout(30)
class LateDropsTest {

    /** Records the thread each warning was reported on. */
    private static final class ThreadRecordingStatus implements StatusPort {
        final CompletableFuture<Thread> warnedOn = new CompletableFuture<>();

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message, Throwable cause) {
            warnedOn.complete(Thread.currentThread());
        }

        @Override
        public void error(String message, Throwable cause) {
        }
    }

    @Test
    void aLateCapturedLineIsReportedOnAThreadOfItsOwnNotUnderTheStreamsLockItCameWith() throws Exception {
        MetricsRecorder metrics = new MetricsRecorder();
        ThreadRecordingStatus status = new ThreadRecordingStatus();
        LateDrops drops = new LateDrops("late", metrics, status);
        synchronized (System.out) { // as a captured line arrives: inside System.out's monitor
            drops.dropped(true);
            drops.dropped(true);
        }
        Thread reporter = status.warnedOn.get(10, TimeUnit.SECONDS);
        assertThat(reporter).isNotSameAs(Thread.currentThread());
        assertThat(reporter.getName()).isEqualTo("sqs-appender-late-report"); // an appender thread: never shipped
        assertThat(metrics.getEventsDroppedShutdown()).isEqualTo(2);
    }

    @Test
    void aLateLineReadOutsideTheStreamsLockIsReportedOnTheCallersThreadInOrder() {
        MetricsRecorder metrics = new MetricsRecorder();
        ThreadRecordingStatus status = new ThreadRecordingStatus();
        new LateDrops("late", metrics, status).dropped(true); // the command's reader: no stream lock held
        assertThat(status.warnedOn).isCompletedWithValue(Thread.currentThread());
    }

    @Test
    void aLateLoggedEventIsReportedOnceOnTheCallersThread() throws Exception {
        MetricsRecorder metrics = new MetricsRecorder();
        ThreadRecordingStatus status = new ThreadRecordingStatus();
        LateDrops drops = new LateDrops("late", metrics, status);
        drops.dropped(false);
        assertThat(status.warnedOn).isCompletedWithValue(Thread.currentThread());
        drops.dropped(false);
        assertThat(metrics.getEventsDroppedShutdown()).isEqualTo(2);
    }
}
