package io.github.sqsappender.core;

import io.github.sqsappender.core.testing.Await;
import io.github.sqsappender.core.testing.InMemorySqsSender;
import io.github.sqsappender.core.testing.RecordingStatus;
import io.github.sqsappender.core.testing.StringEvents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real threads, real clock: the few tests that prove the concurrency, with latches, no sleeps. */
@Timeout(60)
class SqsPipelineThreadsTest {

    static final EventAccessor<String> ACCESSOR = StringEvents.INFO;

    private static SqsPipeline pipeline(String name, InMemorySqsSender sender, RecordingStatus status,
                                        Map<String, String> attributes) throws InvalidConfigurationException {
        SqsAppenderConfig config = SqsAppenderConfig.builder(name)
                .set("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q")
                .set("jmx", "false")
                .setAll(attributes).build();
        return SqsPipeline.create(config, status, sender, Ticker.system());
    }

    @Test
    void anEventLoggedOnAnAppenderThreadIsNotShippedAlsoWhenAnAsyncStageHandsItOverOnAnotherThread() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        SqsPipeline p = pipeline("handed-over", sender, new RecordingStatus(), Map.of());
        p.start();
        EventAccessor<String> loggedOn = new EventAccessor<>() {
            @Override public String loggerName(String event) { return "com.example.CredentialsProvider"; }
            @Override public String level(String event) { return "INFO"; }
            @Override public boolean isWarnOrMoreSevere(String event) { return false; }
            @Override public String threadName(String event) { return event; }
            @Override public long timestampMillis(String event) { return 0; }
            @Override public String mdc(String event, String key) { return null; }
        };
        // This (test) thread plays the async stage's worker; the event says where it was logged.
        EventFormatter<String> formatter = thread -> "from " + thread;
        p.append("sqs-appender-handed-over", formatter, loggedOn);
        p.append("main", formatter, loggedOn);
        p.stop(5_000);
        assertThat(sender.delivered()).containsExactly("from main");
        assertThat(p.metrics().getEventsAppended()).isEqualTo(1);
    }

    @Test
    void capturedLinesAReconfigurationLostAreCountedAsOverflowAndReported() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        RecordingStatus status = new RecordingStatus();
        SqsPipeline p = pipeline("capture", sender, status, Map.of());
        p.start();
        p.append("shipped", "e", ACCESSOR);
        p.capturedLinesLost(3);
        p.stop(5_000);
        SqsAppenderMetrics m = p.metrics();
        assertThat(m.getEventsAppended()).isEqualTo(4);
        assertThat(m.getEventsSent()).isEqualTo(1);
        assertThat(m.getEventsDroppedOverflow()).isEqualTo(3);
        assertThat(m.getEventsAppended()).isEqualTo(m.getEventsSent() + m.getEventsSentToFallback() + m.getEventsDropped());
        assertThat(status.warnings).anySatisfy(w -> assertThat(w).contains("3 lines printed during a reconfiguration"));
    }

    @Test
    void aRemovedBeforeStopHookDoesNotRunAtStop() throws Exception {
        SqsPipeline p = pipeline("hooks", new InMemorySqsSender(), new RecordingStatus(), Map.of());
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable removed = () -> ran.add("removed");
        p.beforeStop(removed);
        p.beforeStop(() -> ran.add("kept"));
        p.removeBeforeStop(removed);
        p.start();
        p.stop(5_000);
        assertThat(ran).containsExactly("kept");
    }

    @Test
    void overflowAccountingIsExactUnderEightProducers() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        sender.hold(true); // SQS "stalls": the buffer must fill and overflow
        SqsPipeline p = pipeline("stress", sender, new RecordingStatus(), Map.of("bufferCapacity", "1000"));
        p.start();
        int threads = 8;
        int perThread = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    p.append("t" + id + "-" + i, "e", ACCESSOR);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(p.metrics().getBufferedEvents()).isLessThanOrEqualTo(1000);

        sender.hold(false);
        sender.releaseAll();
        assertThat(p.stop(20_000)).isFalse(); // some were dropped for overflow

        SqsAppenderMetrics m = p.metrics();
        assertThat(m.getEventsAppended()).isEqualTo(threads * perThread);
        assertThat(m.getEventsSent() + m.getEventsDroppedOverflow()).isEqualTo(threads * perThread);
        assertThat(m.getEventsDropped()).isEqualTo(m.getEventsDroppedOverflow());
        assertThat(sender.delivered()).hasSize((int) m.getEventsSent()).doesNotHaveDuplicates();
        assertThat(m.getEventsSent()).isGreaterThanOrEqualTo(900); // INFO may use 90% of the buffer
        assertThat(m.getBufferedEvents()).isZero();
        assertThat(m.getBufferedBytes()).isZero();
    }

    @Test
    void everythingIsDeliveredWhenTheBufferIsLargeEnough() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        SqsPipeline p = pipeline("all", sender, new RecordingStatus(), Map.of());
        p.start();
        int threads = 8;
        int perThread = 5_000;
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    p.append("t" + id + "-" + i, "e", ACCESSOR);
                }
            });
            workers[t].start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(p.stop(20_000)).isTrue();
        Set<String> delivered = new HashSet<>(sender.delivered());
        assertThat(delivered).hasSize(threads * perThread);
        assertThat(p.metrics().getBatchRequests()).isLessThan(threads * perThread / 5);
    }

    @Test
    void accountingStaysExactWhenStopRacesWithProducers() throws Exception {
        for (int round = 0; round < 20; round++) {
            InMemorySqsSender sender = new InMemorySqsSender();
            SqsPipeline p = pipeline("race-" + round, sender, new RecordingStatus(), Map.of("lingerMs", "1"));
            p.start();
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> producers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread producer = new Thread(() -> {
                    started.countDown();
                    while (running.get()) {
                        p.append("e", "e", ACCESSOR);
                    }
                });
                producers.add(producer);
                producer.start();
            }
            started.await();
            p.stop(200); // producers keep appending through and after the stop: the deadline is always met
            running.set(false);
            for (Thread producer : producers) {
                producer.join();
            }
            SqsAppenderMetrics m = p.metrics();
            assertThat(m.getEventsSent() + m.getEventsDropped()).as("round " + round).isEqualTo(m.getEventsAppended());
            assertThat(sender.delivered()).hasSize((int) m.getEventsSent());
            assertThat(m.getBufferedEvents()).isZero();
        }
    }

    @Test
    void blockPolicyWaitsForRoomInsteadOfDropping() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        sender.hold(true);
        SqsPipeline p = pipeline("block", sender, new RecordingStatus(),
                Map.of("bufferCapacity", "10", "overflowPolicy", "block", "blockTimeoutMs", "30000", "lingerMs", "0"));
        p.start();
        for (int i = 0; i < 9; i++) { // INFO may fill 90% of the buffer: 9 of 10
            p.append("warm-" + i, "e", ACCESSOR);
        }
        assertThat(p.metrics().getEventsDropped()).isZero();
        CountDownLatch returned = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            p.append("blocked", "e", ACCESSOR);
            returned.countDown();
        }, "producer");
        producer.start();
        // Wait until the producer is really parked in the block policy (no sleep: observe its state).
        Await.until("the producer parks in the block policy",
                () -> producer.getState() == Thread.State.TIMED_WAITING || returned.getCount() == 0);
        assertThat(returned.getCount()).isEqualTo(1);

        sender.hold(false);
        sender.releaseAll();
        assertThat(returned.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.stop(10_000)).isTrue();
        assertThat(p.metrics().getEventsDropped()).isZero();
        assertThat(sender.delivered()).contains("blocked").hasSize(10);
    }

    /** A started pipeline under {@code overflowPolicy=block} whose buffer of one is full, SQS not answering. */
    private record FullBuffer(InMemorySqsSender sender, SqsPipeline pipeline) {
        static FullBuffer of(String name, long blockTimeoutMs, EventAccessor<String> accessor) throws Exception {
            InMemorySqsSender sender = new InMemorySqsSender();
            sender.hold(true);
            SqsPipeline p = SqsPipelineThreadsTest.pipeline(name, sender, new RecordingStatus(), Map.of("bufferCapacity", "1",
                    "overflowPolicy", "block", "blockTimeoutMs", Long.toString(blockTimeoutMs)));
            p.start();
            p.append("fills", "e", accessor);
            return new FullBuffer(sender, p);
        }

        void release() {
            sender.hold(false);
            sender.releaseAll();
            pipeline.stop(5_000);
        }
    }

    @Test
    void blockPolicyGivesUpAfterBlockTimeoutAndCountsTheDrop() throws Exception {
        FullBuffer full = FullBuffer.of("block-timeout", 200, ACCESSOR);
        long start = System.nanoTime();
        full.pipeline().append("waits then drops", "e", ACCESSOR);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waitedMs).isGreaterThanOrEqualTo(200);
        assertThat(full.pipeline().metrics().getEventsDroppedOverflow()).isEqualTo(1);
        full.release();
    }

    @Test
    void anEventNoEmptyBufferCouldAdmitIsOversizeNotAnOverflowWaitedForInVain() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        SqsPipeline p = pipeline("tiny-buffer", sender, new RecordingStatus(),
                Map.of("maxBufferBytes", "2048", "overflowPolicy", "block", "blockTimeoutMs", "600000"));
        p.start();
        p.append("x".repeat(1_900), "e", ACCESSOR); // within SQS's limit, beyond 90% of the buffer: waiting would outlast @Timeout
        p.append("fits", "e", ACCESSOR);
        p.append("y".repeat(1_900), "e", StringEvents.WARN); // WARN may use all of it
        assertThat(p.stop(5_000)).isFalse();
        assertThat(p.metrics().getEventsDroppedOversize()).isEqualTo(1);
        assertThat(p.metrics().getEventsDroppedOverflow()).isZero();
        assertThat(sender.delivered()).hasSize(2).contains("fits");
    }

    @Test
    void packedTooAnEventNoEmptyBufferCouldAdmitIsOversize() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        SqsPipeline p = pipeline("tiny-packed", sender, new RecordingStatus(),
                Map.of("maxBufferBytes", "2048", "packing", "ndjson"));
        p.start();
        p.append("x".repeat(1_900), "e", ACCESSOR);
        p.append("fits", "e", ACCESSOR);
        p.stop(5_000);
        assertThat(p.metrics().getEventsDroppedOversize()).isEqualTo(1);
        assertThat(p.metrics().getEventsDroppedOverflow()).isZero();
        assertThat(p.metrics().getEventsSent()).isEqualTo(1);
    }

    @Test
    void anInterruptedCallerDoesNotWaitForRoomAndKeepsItsInterrupt() throws Exception {
        FullBuffer full = FullBuffer.of("block-interrupted", 600_000, ACCESSOR);
        Thread.currentThread().interrupt(); // a cancelled task's thread: parking returns at once, so waiting would spin
        full.pipeline().append("does not wait", "e", ACCESSOR); // waiting would outlast the class's @Timeout
        assertThat(Thread.interrupted()).as("the interrupt is left for the caller").isTrue();
        assertThat(full.pipeline().metrics().getEventsDroppedOverflow()).isEqualTo(1);
        full.release();
    }

    @Test
    void behindAnAsynchronousStageItsThreadDoesNotWaitForRoom() throws Exception {
        EventAccessor<String> handedOver = new EventAccessor<>() {
            @Override public String loggerName(String event) { return "com.example.App"; }
            @Override public String level(String event) { return "INFO"; }
            @Override public boolean isWarnOrMoreSevere(String event) { return false; }
            @Override public String threadName(String event) { return "main"; }
            @Override public long timestampMillis(String event) { return 0; }
            @Override public String mdc(String event, String key) { return null; }
            @Override public boolean isLoggedOnCurrentThread(String event) { return false; }
        };
        FullBuffer full = FullBuffer.of("block-async", 600_000, handedOver);
        // This thread plays the stage's worker: parked here, it would hold the stage full, and with
        // it the appender's own threads logging through the stage, whose sends free the room.
        full.pipeline().append("does not wait", "e", handedOver); // waiting would outlast the class's @Timeout
        assertThat(full.pipeline().metrics().getEventsDroppedOverflow()).isEqualTo(1);
        full.release();
    }

    @Test
    void anEmptyBodyIsCountedAndReportedButIsNotALossAStopAnswersFalseFor() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        RecordingStatus status = new RecordingStatus();
        SqsPipeline p = pipeline("empty", sender, status, Map.of());
        p.start();
        p.append("", "e", ACCESSOR); // log.info("") under a %m layout
        p.append("shipped", "e", ACCESSOR);
        assertThat(p.stop(5_000)).isTrue();
        assertThat(p.metrics().getEventsDroppedEmpty()).isEqualTo(1);
        assertThat(status.errors).as("nothing was lost").isEmpty();
        assertThat(status.warnings).anySatisfy(w -> assertThat(w).contains("dropped 1 events").contains("empty=1"));
        assertThat(status.infos).anySatisfy(i -> assertThat(i).contains("stopped").contains("empty=1"));
    }

    @Test
    void stopReturnsWithinTheTimeoutWhenSqsNeverAnswersAndCountsTheLoss() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        sender.hold(true);
        RecordingStatus status = new RecordingStatus();
        SqsPipeline p = pipeline("stuck", sender, status, Map.of());
        p.start();
        for (int i = 0; i < 100; i++) {
            p.append("e" + i, "e", ACCESSOR);
        }
        // The sender never answers: a stop that ignored its timeout would wait into the class's
        // @Timeout, or until the events' 60 s delivery timeout counts them undeliverable, not
        // shutdown (asserted below); one that gave up early would not have waited about 500 ms.
        long start = System.nanoTime();
        assertThat(p.stop(500)).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(450);
        assertThat(p.metrics().getEventsDroppedShutdown()).isEqualTo(100);
        assertThat(status.errors).anySatisfy(w -> assertThat(w).contains("stopped").contains("shutdown=100"));
        assertThat(sender.isClosed()).isTrue();
        assertThat(threadsNamed("sqs-appender-stuck")).isEmpty();
    }

    @Test
    void flushDeliversWithoutWaitingForTheLinger() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        SqsPipeline p = pipeline("flush", sender, new RecordingStatus(), Map.of("lingerMs", "3600000"));
        p.start();
        p.append("one", "e", ACCESSOR);
        p.append("two", "e", ACCESSOR);
        assertThat(p.flush(10_000)).isTrue();
        assertThat(sender.delivered()).containsExactly("one", "two");
        p.stop(1_000);
    }

    @Test
    void anEmptyEventIsCountedButDoesNotMakeAFlushFail() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        SqsPipeline p = pipeline("flush-empty", sender, new RecordingStatus(), Map.of("lingerMs", "3600000"));
        p.start();
        p.append("one", "e", ACCESSOR);
        p.append("", "e", ACCESSOR);
        assertThat(p.flush(10_000)).isTrue();
        assertThat(p.metrics().getEventsDroppedEmpty()).isEqualTo(1);
        assertThat(sender.delivered()).containsExactly("one");
        p.stop(1_000);
    }

    @Test
    void stopLeavesNoThreadBehindAndZeroMeansShutdownTimeout() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        SqsPipeline p = pipeline("zero", sender, new RecordingStatus(), Map.of("lingerMs", "3600000"));
        p.start();
        assertThat(threadsNamed("sqs-appender-zero")).hasSize(1);
        p.append("x", "e", ACCESSOR);
        assertThat(p.stop(0)).isTrue(); // 0 = shutdownTimeoutMs, not "give up now"
        assertThat(sender.delivered()).containsExactly("x");
        assertThat(threadsNamed("sqs-appender-zero")).isEmpty();
    }

    @Test
    void feedbackGuardExcludesSdkLoggersAndAppenderThreads() throws Exception {
        SqsPipeline p = pipeline("guard", new InMemorySqsSender(), new RecordingStatus(), Map.of());
        assertThat(p.isShippable("software.amazon.awssdk.request")).isFalse();
        assertThat(p.isShippable("io.netty.channel.DefaultChannelPipeline")).isFalse();
        assertThat(p.isShippable("org.apache.http.wire")).isFalse();
        assertThat(p.isShippable("com.example.App")).isTrue();
        boolean[] onAppenderThread = new boolean[1];
        Thread t = new Thread(() -> onAppenderThread[0] = p.isShippable("com.example.App"), "sqs-appender-x-io-1");
        t.start();
        t.join();
        assertThat(onAppenderThread[0]).isFalse();
    }

    @Test
    void gzipPacksAreCompressedOnThePackThreadWhichEndsWithTheStop() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        SqsPipeline p = pipeline("zipped", sender, new RecordingStatus(),
                Map.of("packing", "ndjson", "compression", "gzip", "lingerMs", "10"));
        p.start();
        for (int i = 0; i < 20_000; i++) {
            String body = "event " + i + " of a compressible line, the same words again and again";
            p.append(body, body, ACCESSOR);
        }
        assertThat(p.flush(30_000)).isTrue();
        assertThat(threadsNamed("sqs-appender-zipped-pack")).as("started by the first pack").hasSize(1);
        assertThat(p.stop(10_000)).isTrue();
        assertThat(threadsNamed("sqs-appender-zipped-pack")).isEmpty();
        assertThat(p.metrics().getEventsSent()).isEqualTo(20_000);
        List<String> events = new java.util.ArrayList<>();
        int gzipped = 0;
        for (List<io.github.sqsappender.core.port.SqsSender.BatchEntry> batch : sender.batches()) {
            for (io.github.sqsappender.core.port.SqsSender.BatchEntry entry : batch) {
                Map<String, String> attributes = new java.util.HashMap<>();
                entry.message().attributes().forEach(a -> attributes.put(a.name(), a.value()));
                gzipped += "gzip,base64".equals(attributes.get("Content-Encoding")) ? 1 : 0;
                events.addAll(io.github.sqsappender.reader.LogMessageReader.events(entry.id(), entry.message().body(), attributes));
            }
        }
        assertThat(events).hasSize(20_000).doesNotHaveDuplicates();
        assertThat(gzipped).as("packs gzip'ed (a last pack of a few lines may be smaller as it is)").isPositive();
    }

    static List<Thread> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).toList();
    }

    @Test
    void capturedStderrLinesNeverTakeTheBufferShareKeptForTheApplicationsErrors() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        sender.resolveWith(io.github.sqsappender.core.port.SendFailure.permanent("QueueDoesNotExist",
                "The specified queue does not exist")); // nothing leaves: the buffer only fills
        SqsPipeline p = pipeline("printed", sender, new RecordingStatus(), Map.of("bufferCapacity", "10"));
        p.start();
        // A program printing to stderr: ERROR-level events (StringEvents.WARN: WARN or more severe).
        for (int i = 0; i < 12; i++) {
            p.appendCaptured("printed-" + i, e -> e, StringEvents.WARN);
        }
        assertThat(p.metrics().getBufferedEvents()).as("an ordinary event's 90%").isEqualTo(9);
        assertThat(p.metrics().getEventsDroppedOverflow()).isEqualTo(3);
        p.append("a real error", "e", StringEvents.WARN);
        assertThat(p.metrics().getBufferedEvents()).as("the application's error still fits").isEqualTo(10);
        assertThat(p.metrics().getEventsDroppedOverflow()).isEqualTo(3);
        p.stop(100);
        SqsAppenderMetrics m = p.metrics();
        assertThat(m.getEventsSent() + m.getEventsSentToFallback() + m.getEventsDropped()).isEqualTo(m.getEventsAppended());
    }

    @Test
    void aFlushStormDuringALookupOutageLosesNothingUncountedAndStopEndsTheThread() throws Exception {
        InMemorySqsSender sender = new InMemorySqsSender();
        sender.resolveWith(io.github.sqsappender.core.port.SendFailure.permanent("QueueDoesNotExist",
                "The specified queue does not exist"));
        RecordingStatus status = new RecordingStatus();
        SqsPipeline p = pipeline("storm", sender, status, Map.of("bufferCapacity", "16"));
        p.start();
        for (int i = 0; i < 200; i++) {
            p.flush(1); // nothing appended yet: true or, timed out, false; what counts is what follows
        }
        EventAccessor<String> warn = StringEvents.WARN;
        for (int i = 0; i < 16; i++) {
            p.append("warn-" + i, "e", warn);
        }
        assertThat(p.metrics().getBufferedEvents()).isEqualTo(16);

        assertThat(p.stop(500)).isFalse();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("sqs-appender-storm"));
        SqsAppenderMetrics m = p.metrics();
        assertThat(m.getEventsAppended()).isEqualTo(16);
        assertThat(m.getEventsDroppedUndeliverable()).isEqualTo(16); // the stop found the queue still missing
        assertThat(m.getEventsSent() + m.getEventsDropped()).isEqualTo(m.getEventsAppended());
        assertThat(m.getBufferedEvents()).isZero();
        assertThat(status.errors).anySatisfy(w -> assertThat(w).contains("undeliverable=16"));
    }
}
