package io.github.sqsappender.core.faults;

import io.github.sqsappender.core.Backoff;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.SqsPipeline;
import io.github.sqsappender.core.testing.Await;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.FaultProxy;
import io.github.sqsappender.core.testing.FaultProxy.Fault;
import io.github.sqsappender.core.testing.FaultProxy.Kind;
import io.github.sqsappender.core.testing.RecordingStatus;
import io.github.sqsappender.core.testing.TcpRelay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guarantees (README, "What it guarantees") under real faults: the real SDK client talks through {@link FaultProxy} (HTTP
 * faults) or {@link TcpRelay} (TCP resets) to ElasticMQ on loopback. Every scenario checks the
 * accounting exactly: {@code sent + dropped(by reason) == appended}, and the queue holds exactly the
 * sent events (plus duplicates only where a reset request may have been applied, which are counted).
 * Lines starting with {@code [measure]} feed docs/RELIABILITY.md.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(180)
class FaultInjectionIT {

    static EmbeddedSqs sqs;
    FaultProxy proxy;
    String directUrl;
    String proxiedUrl;
    RecordingStatus status;
    SqsPipeline pipeline;

    @BeforeAll
    static void startServer(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        String name = info.getTestMethod().orElseThrow().getName();
        directUrl = sqs.createQueue("f-" + name.substring(0, Math.min(60, name.length())));
        proxy = FaultProxy.start(sqs.endpoint());
        proxiedUrl = proxy.viaProxy(directUrl);
        status = new RecordingStatus();
    }

    @AfterEach
    void tearDown() {
        if (pipeline != null) {
            pipeline.stop(1_000);
        }
        proxy.close();
    }

    private SqsPipeline start(String queueUrl, String... attributes) throws Exception {
        return start(Backoff.standard(), queueUrl, attributes);
    }

    private SqsPipeline start(Backoff backoff, String queueUrl, String... attributes) throws Exception {
        SqsAppenderConfig.Builder b = SqsAppenderConfig.builder("faults").set("queueUrl", queueUrl).set("jmx", "false");
        for (int i = 0; i < attributes.length; i += 2) {
            b.set(attributes[i], attributes[i + 1]);
        }
        pipeline = SqsPipeline.builder(b.build(), status).backoff(backoff).build();
        pipeline.start();
        return pipeline;
    }

    private static void log(SqsPipeline p, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            p.append(prefix + i, "INFO", io.github.sqsappender.core.testing.StringEvents.LEVELS);
        }
    }

    private static void awaitFirstError(SqsPipeline p) {
        Await.until("the pipeline has met the fault", () -> !p.metrics().getLastError().isEmpty());
    }

    private static void assertExactAccounting(SqsAppenderMetrics m) {
        assertThat(m.getEventsSent() + m.getEventsDropped()).as("sent + dropped == appended")
                .isEqualTo(m.getEventsAppended());
        assertThat(m.getBufferedEvents()).isZero();
        assertThat(m.getBufferedBytes()).isZero();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void outageShorterThanTheBufferIsAbsorbedAndEverythingIsDeliveredAfterRecovery() throws Exception {
        start(proxiedUrl, "maxMessageBytes", "262144");
        proxy.outage();
        log(pipeline, "o-", 5_000);
        awaitFirstError(pipeline);
        long recoveredAt = System.nanoTime();
        proxy.recover();
        assertThat(pipeline.flush(60_000)).isTrue();
        long recoveryMs = (System.nanoTime() - recoveredAt) / 1_000_000;
        assertThat(pipeline.stop(5_000)).isTrue();

        SqsAppenderMetrics m = pipeline.metrics();
        assertExactAccounting(m);
        assertThat(m.getEventsSent()).isEqualTo(5_000);
        assertThat(sqs.drainBodies(directUrl, 5_000, Duration.ofSeconds(5))).hasSize(5_000).doesNotHaveDuplicates();
        System.out.printf("[measure] short outage: 5,000 logged during the outage, 5,000 delivered, 0 dropped; "
                + "all delivered %d ms after the endpoint came back%n", recoveryMs);
    }

    @Test
    void outageLongerThanTheBufferKeepsItsBoundCountsDropsExactlyAndPrefersWarnings() throws Exception {
        start(proxiedUrl, "maxMessageBytes", "262144", "bufferCapacity", "1000", "maxBufferBytes", "1000000");
        proxy.outage();
        awaitFirstErrorAfterOneEvent();
        long heapBefore = usedHeapAfterGc();
        int info = 0;
        int warn = 0;
        long maxEvents = 0;
        long maxBytes = 0;
        for (int i = 0; i < 200_000; i++) {
            boolean isWarn = i % 20 == 0;
            String body = (isWarn ? "warn-" : "info-") + i + "-" + "x".repeat(200);
            pipeline.append(body, isWarn ? "WARN" : "INFO", io.github.sqsappender.core.testing.StringEvents.LEVELS);
            if (isWarn) {
                warn++;
            } else {
                info++;
            }
            maxEvents = Math.max(maxEvents, pipeline.metrics().getBufferedEvents());
            maxBytes = Math.max(maxBytes, pipeline.metrics().getBufferedBytes());
        }
        long heapDuring = usedHeapAfterGc();
        assertThat(maxEvents).isLessThanOrEqualTo(1_000);
        assertThat(maxBytes).isLessThanOrEqualTo(1_000_000);

        proxy.recover();
        assertThat(pipeline.flush(60_000)).as("flush reports the overflow since the start").isFalse();
        pipeline.stop(5_000);
        SqsAppenderMetrics m = pipeline.metrics();
        assertExactAccounting(m);
        assertThat(m.getEventsDropped()).isEqualTo(m.getEventsDroppedOverflow());

        List<String> bodies = sqs.drainBodies(directUrl, (int) m.getEventsSent(), Duration.ofSeconds(5));
        assertThat(bodies).hasSize((int) m.getEventsSent()).doesNotHaveDuplicates();
        long warnDelivered = bodies.stream().filter(b -> b.startsWith("warn-")).count();
        long infoDelivered = bodies.stream().filter(b -> b.startsWith("info-")).count();
        assertThat((double) warnDelivered / warn).as("WARN survive an overflow better than INFO")
                .isGreaterThan((double) infoDelivered / info);
        long heapGrowthMb = Math.max(0, heapDuring - heapBefore) / (1024 * 1024);
        assertThat(heapGrowthMb).as("heap growth while 200,000 events hit a dead endpoint").isLessThan(64);
        System.out.printf("[measure] long outage: 200,001 logged (%,d WARN), buffer peak %,d events / %,d bytes "
                        + "(bounds 1,000 / 1,000,000), %,d delivered after recovery (%,d WARN = %.0f%% of WARN, %,d INFO), "
                        + "%,d dropped as overflow; heap growth %d MiB%n",
                warn, maxEvents, maxBytes, m.getEventsSent(), warnDelivered, 100.0 * warnDelivered / warn,
                infoDelivered, m.getEventsDroppedOverflow(), heapGrowthMb);
    }

    /** Sends one event so the client is built and the endpoint is known to be down. */
    private void awaitFirstErrorAfterOneEvent() {
        pipeline.append("warm-up", "INFO", io.github.sqsappender.core.testing.StringEvents.LEVELS);
        awaitFirstError(pipeline);
    }

    @Test
    void throttlingAndServerErrorStormsBackOffExactlyAsScheduledThenDeliverEverything() throws Exception {
        // One request at a time and a backoff without jitter, so the gap before each retry is known:
        // at least the scheduled wait (backoff honoured). That the dispatcher wakes exactly when the
        // wait ends (no stall) is DispatcherTest's, on a manual clock; here the gaps are printed.
        Backoff backoff = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(20)).withoutJitter();
        start(backoff, proxiedUrl, "maxMessageBytes", "262144", "lingerMs", "10", "maxInFlight", "1");
        proxy.next(Fault.of(Kind.THROTTLING), 2).next(Fault.of(Kind.REQUEST_THROTTLED), 1)
                .next(Fault.of(Kind.HTTP_500), 1).next(Fault.of(Kind.HTTP_503), 2);
        log(pipeline, "s-", 200);
        assertThat(pipeline.flush(60_000)).isTrue();
        pipeline.stop(5_000);

        SqsAppenderMetrics m = pipeline.metrics();
        assertExactAccounting(m);
        assertThat(m.getEventsSent()).isEqualTo(200);
        assertThat(m.getRequestsThrottled()).isEqualTo(3);
        assertThat(proxy.faultsInjected()).isEqualTo(6);
        // Six faults cost six requests, then the 20 batches go through.
        assertThat(proxy.sendBatchRequests()).isEqualTo(6 + 20);
        List<Long> arrivals = proxy.sendBatchArrivals();
        List<Long> gapsMs = new ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            long gapNanos = arrivals.get(k) - arrivals.get(k - 1);
            long scheduled = backoff.ceilingNanos(k); // 50, 100, 200, 400, 800, 1600 ms
            assertThat(gapNanos).as("gap before attempt %d", k + 1)
                    .isGreaterThanOrEqualTo(scheduled);
            gapsMs.add(gapNanos / 1_000_000);
        }
        assertThat(sqs.drainBodies(directUrl, 200, Duration.ofSeconds(5))).hasSize(200).doesNotHaveDuplicates();
        System.out.printf("[measure] storm: 3 throttling + 3 5xx responses in a row, then 200 of 200 delivered; "
                + "gaps before each retry (ms, scheduled 50..1600): %s%n", gapsMs);
    }

    @Test
    void stopDuringAnOutageReturnsWithinShutdownTimeoutAndCountsExactly() throws Exception {
        start(proxiedUrl, "maxMessageBytes", "262144", "shutdownTimeoutMs", "2000");
        proxy.outage();
        awaitFirstErrorAfterOneEvent();
        log(pipeline, "x-", 999);
        // The outage outlasts the test: a stop that ignored shutdownTimeoutMs would wait until the
        // events' 60 s delivery timeout counts them undeliverable, not shutdown (asserted below);
        // one that gave up early would not have waited 2 s.
        long start = System.nanoTime();
        assertThat(pipeline.stop(0)).isFalse();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).isGreaterThanOrEqualTo(1_900L);
        SqsAppenderMetrics m = pipeline.metrics();
        assertExactAccounting(m);
        assertThat(m.getEventsDroppedShutdown()).isEqualTo(1_000);
        assertThat(status.errors).anySatisfy(w -> assertThat(w).contains("shutdown=1000"));
        System.out.printf("[measure] stop during outage: returned after %d ms (shutdownTimeoutMs=2000), "
                + "reported shutdown=1000 of 1000%n", tookMs);
    }

    @Test
    void partialFailuresRetryOnlyRetryableEntriesAndReportSenderFaults() throws Exception {
        start(proxiedUrl, "maxMessageBytes", "262144", "lingerMs", "5000");
        proxy.next(Fault.partial(Set.of(1, 3), Set.of(5)), 1);
        log(pipeline, "p-", 10);
        assertThat(pipeline.flush(30_000)).isFalse(); // one entry was rejected for good
        pipeline.stop(5_000);
        SqsAppenderMetrics m = pipeline.metrics();
        assertExactAccounting(m);
        assertThat(m.getEventsSent()).isEqualTo(9);
        assertThat(m.getEventsRetried()).isEqualTo(2);
        assertThat(m.getEventsDroppedUndeliverable()).isEqualTo(1);
        assertThat(status.errors).anySatisfy(e -> assertThat(e).contains("SenderFault=true").contains("InvalidParameterValue"));
        List<String> bodies = sqs.drainBodies(directUrl, 10, Duration.ofSeconds(3));
        assertThat(bodies).hasSize(9).doesNotContain("p-5").contains("p-1", "p-3");
        assertThat(proxy.sendBatchRequests()).isEqualTo(2);
    }

    @Test
    void accessDeniedIsCountedAndReportedWithItsCodeNotRetried() throws Exception {
        start(proxiedUrl, "maxMessageBytes", "262144", "lingerMs", "5000");
        proxy.always(Fault.of(Kind.ACCESS_DENIED));
        log(pipeline, "a-", 10);
        assertThat(pipeline.flush(30_000)).isFalse();
        pipeline.stop(5_000);
        SqsAppenderMetrics m = pipeline.metrics();
        assertExactAccounting(m);
        assertThat(m.getEventsDroppedUndeliverable()).isEqualTo(10);
        assertThat(proxy.sendBatchRequests()).isEqualTo(1);
        assertThat(status.errors).anySatisfy(e -> assertThat(e).contains("AccessDenied"));
    }

    @Test
    void queueDeletedUnderTheAppenderIsCountedAndReported() throws Exception {
        start(proxiedUrl, "maxMessageBytes", "262144", "lingerMs", "5000");
        proxy.always(Fault.of(Kind.QUEUE_DOES_NOT_EXIST));
        log(pipeline, "q-", 10);
        assertThat(pipeline.flush(30_000)).isFalse();
        pipeline.stop(5_000);
        assertExactAccounting(pipeline.metrics());
        assertThat(pipeline.metrics().getEventsDroppedUndeliverable()).isEqualTo(10);
        assertThat(status.errors).anySatisfy(e -> assertThat(e).containsAnyOf("NonExistentQueue", "QueueDoesNotExist"));
    }

    @Test
    void missingQueueAtStartupIsReportedClearlyAndEventsWaitInTheBuffer() throws Exception {
        String missing = sqs.queueUrl("never-created");
        start(missing);
        log(pipeline, "m-", 10);
        Await.until("a status error", () -> !status.errors.isEmpty());
        assertThat(status.errors.get(0)).contains("cannot use its queue yet").containsAnyOf("NonExistentQueue", "QueueDoesNotExist");
        assertThat(pipeline.metrics().getBufferedEvents()).isEqualTo(10);
        sqs.createQueue("never-created"); // created late: the retried lookup finds it
        assertThat(pipeline.flush(60_000)).isTrue();
        assertThat(sqs.drainBodies(missing, 10, Duration.ofSeconds(3))).hasSize(10);
    }

    @Test
    void emptyAndTruncatedResponsesAreRetriedAndDelivered() throws Exception {
        start(proxiedUrl, "maxMessageBytes", "262144", "lingerMs", "10");
        proxy.next(Fault.of(Kind.EMPTY_RESPONSE), 2).next(Fault.of(Kind.TRUNCATED_RESPONSE), 2);
        log(pipeline, "e-", 30);
        assertThat(pipeline.flush(60_000)).isTrue();
        pipeline.stop(5_000);
        assertExactAccounting(pipeline.metrics());
        assertThat(pipeline.metrics().getEventsSent()).isEqualTo(30);
        assertThat(sqs.drainBodies(directUrl, 30, Duration.ofSeconds(3))).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void connectionResetsMidStreamAreRetriedAndEverythingArrivesAtLeastOnce() throws Exception {
        try (TcpRelay relay = new TcpRelay(sqs.port())) {
            start(relay.endpoint() + java.net.URI.create(directUrl).getPath(), "maxMessageBytes", "262144", "lingerMs", "1");
            int resets = 0;
            for (int round = 0; round < 10; round++) {
                long requestsBefore = pipeline.metrics().getBatchRequests();
                log(pipeline, "r" + round + "-", 200);
                // Requests of this round are on their way: reset them mid-flight.
                Await.until("round " + round + " sends", () -> pipeline.metrics().getBatchRequests() > requestsBefore);
                resets += relay.resetAll();
            }
            assertThat(pipeline.flush(60_000)).isTrue();
            pipeline.stop(5_000);
            SqsAppenderMetrics m = pipeline.metrics();
            assertExactAccounting(m);
            assertThat(m.getEventsSent()).isEqualTo(2_000);
            assertThat(resets).isPositive();
            // Each retried entry may have been applied before its reset: at most that many duplicates.
            List<String> bodies = sqs.drainBodies(directUrl, (int) (2_000 + m.getEventsRetried()), Duration.ofSeconds(3));
            Set<String> distinct = new HashSet<>(bodies);
            assertThat(distinct).hasSize(2_000);
            System.out.printf("[measure] connection resets: %d connections reset mid-stream, 2,000 of 2,000 delivered, "
                    + "%d duplicates (requests applied before their reset), %d entry retries%n",
                    resets, bodies.size() - distinct.size(), m.getEventsRetried());
        }
    }

    @Test
    void fiveSecondStallsDelayDeliveryButNeitherLogNorLose() throws Exception {
        start(proxiedUrl, "maxMessageBytes", "262144", "lingerMs", "10");
        proxy.next(Fault.stall(5_000), 2);
        log(pipeline, "st-", 100);
        assertThat(pipeline.flush(60_000)).isTrue();
        pipeline.stop(5_000);
        assertExactAccounting(pipeline.metrics());
        assertThat(sqs.drainBodies(directUrl, 100, Duration.ofSeconds(3))).hasSize(100).doesNotHaveDuplicates();
    }

    /**
     * Every request is held unanswered while the application logs 200,000 events: the calls all
     * return with none of them answered, so no call waited for SQS (one that did would never
     * return, and the class's timeout would fail the test). The calls' latency is printed, not
     * asserted: performance lives in the benchmarks.
     */
    @Test
    void theLoggingCallNeverWaitsForSqsWhileEveryRequestIsHeld() throws Exception {
        start(proxiedUrl, "maxMessageBytes", "262144", "bufferCapacity", "10000");
        proxy.always(Fault.hold());
        pipeline.append("first", "INFO", io.github.sqsappender.core.testing.StringEvents.LEVELS);
        Await.until("a request held by the proxy", () -> proxy.sendBatchRequests() >= 1);
        int calls = 200_000;
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            pipeline.append("held-" + i, "INFO", io.github.sqsappender.core.testing.StringEvents.LEVELS);
            nanos[i] = System.nanoTime() - t0;
        }
        assertThat(pipeline.metrics().getEventsSent()).as("events sent while every request was held").isZero();
        assertThat(pipeline.metrics().getEventsDroppedOverflow()).as("the buffer filled while nothing was answered").isPositive();
        proxy.heal();
        pipeline.stop(5_000);
        assertExactAccounting(pipeline.metrics());
        assertThat(pipeline.metrics().getEventsSent()).as("the held requests, answered after the heal").isPositive();
        Arrays.sort(nanos);
        System.out.printf("[measure] logging call while every SQS request is held (overflowPolicy=drop): "
                        + "p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f ms over %,d calls; %,d dropped as overflow%n",
                nanos[calls / 2] / 1e3, nanos[(int) (calls * 0.99)] / 1e3, nanos[(int) (calls * 0.999)] / 1e3,
                nanos[calls - 1] / 1e6, calls, pipeline.metrics().getEventsDroppedOverflow());
    }
}
