package io.github.sqsappender.core;

import io.github.sqsappender.core.testing.InMemorySqsSender;
import io.github.sqsappender.core.testing.RecordingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher survives a failing stage, and a dispatcher that dies says so and counts. */
@Timeout(60)
class SqsPipelineRobustnessTest {

    /** The system clock, except that reads on the dispatcher thread throw what {@code failure} gives, once. */
    static final class FailingTicker implements Ticker {
        final AtomicInteger armed = new AtomicInteger();
        final CountDownLatch failed = new CountDownLatch(1);
        volatile Throwable failure;

        @Override
        public long read() {
            if (Thread.currentThread().getName().equals("sqs-appender-robust") && armed.compareAndSet(1, 0)) {
                failed.countDown();
                Throwable t = failure;
                if (t instanceof RuntimeException r) {
                    throw r;
                }
                throw (Error) t;
            }
            return System.nanoTime();
        }
    }

    private static SqsPipeline pipeline(InMemorySqsSender sender, RecordingStatus status, Ticker ticker) throws Exception {
        SqsAppenderConfig config = SqsAppenderConfig.builder("robust")
                .set("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q")
                .set("lingerMs", "0").set("jmx", "false").build();
        return SqsPipeline.builder(config, status).sender(sender).ticker(ticker).build();
    }

    @Test
    void eventsAppendedToAPipelineStoppedBeforeItStartedAreCountedAsShutdownDrops() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        RecordingStatus status = new RecordingStatus();
        SqsPipeline p = pipeline(sender, status, System::nanoTime);
        for (int i = 0; i < 5; i++) {
            p.append("before-start-" + i, "e", SqsPipelineThreadsTest.ACCESSOR);
        }
        assertThat(p.stop(1_000)).isFalse();
        p.append("after-stop", "e", SqsPipelineThreadsTest.ACCESSOR);
        SqsAppenderMetrics m = p.metrics();
        assertThat(m.getEventsAppended()).isEqualTo(6);
        assertThat(m.getEventsDroppedShutdown()).isEqualTo(6);
        assertThat(m.getEventsSent() + m.getEventsDropped()).isEqualTo(m.getEventsAppended());
        assertThat(m.getBufferedEvents()).isZero();
        assertThat(sender.batches()).isEmpty();
        assertThat(p.flush(100)).isFalse();
        assertThat(status.all()).contains("shutdown=5");
        p.start();
        assertThat(p.isStarted()).as("a stopped pipeline stays stopped").isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("sqs-appender-robust"));
    }

    @Test
    void anUnexpectedFailureInTheLoopIsCountedReportedAndDeliveryGoesOn() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        RecordingStatus status = new RecordingStatus();
        FailingTicker ticker = new FailingTicker();
        ticker.failure = new IllegalStateException("a bug in a stage");
        SqsPipeline p = pipeline(sender, status, ticker);
        p.start();
        ticker.armed.set(1);
        assertThat(ticker.failed.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 50; i++) {
            p.append("e" + i, "e", SqsPipelineThreadsTest.ACCESSOR);
        }
        assertThat(p.flush(10_000)).isTrue();
        assertThat(sender.delivered()).hasSize(50);
        assertThat(p.metrics().getDispatcherErrors()).isEqualTo(1);
        assertThat(status.errors).anySatisfy(e -> assertThat(e).contains("a bug in a stage").contains("goes on"));
        p.stop(5_000);
        assertThat(p.metrics().getEventsSent() + p.metrics().getEventsDropped()).isEqualTo(p.metrics().getEventsAppended());
    }

    @Test
    void aDispatcherThatDiesSaysSoAndEveryEventIsCountedAsUndeliverable() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        RecordingStatus status = new RecordingStatus();
        FailingTicker ticker = new FailingTicker();
        ticker.failure = new OutOfMemoryError("simulated");
        SqsPipeline p = pipeline(sender, status, ticker);
        p.start();
        ticker.armed.set(1);
        assertThat(ticker.failed.await(10, TimeUnit.SECONDS)).isTrue();
        Thread dispatcher = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("sqs-appender-robust")).findFirst().orElse(null);
        if (dispatcher != null) {
            dispatcher.join(10_000);
        }
        for (int i = 0; i < 20; i++) {
            p.append("after-" + i, "e", SqsPipelineThreadsTest.ACCESSOR); // must not block, throw or vanish
        }
        assertThat(p.flush(1_000)).isFalse();
        assertThat(status.errors).anySatisfy(e -> assertThat(e).contains("dispatcher thread died").contains("simulated"));
        p.stop(1_000);
        SqsAppenderMetrics m = p.metrics();
        assertThat(m.getEventsDroppedUndeliverable()).isEqualTo(20);
        assertThat(m.getEventsSent() + m.getEventsDropped()).isEqualTo(m.getEventsAppended()).isEqualTo(20);
        assertThat(m.getBufferedEvents()).isZero();
    }
}
