package io.github.sqsappender.core.testing;

import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.text.Utf8;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The contract both adapters must meet, run against ElasticMQ on loopback through the real SDK.
 * Each adapter's test class extends this and says how to configure its framework from XML text,
 * how to log, and how to reach the appender's metrics; the scenarios are written once, here.
 *
 * <p>The generated configuration routes the root logger to one appender named {@code SQS} whose
 * layout/encoder writes just the message (so bodies are exact), with
 * {@code messageAttributes=level,logger,mdc:requestId} unless a test overrides it.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(180)
public abstract class AbstractSqsAppenderContractTest {

    protected static EmbeddedSqs sqs;
    protected String queueUrl;

    @BeforeAll
    static void startServer(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
    }

    private static EmbeddedS3 s3;
    private static int buckets;

    /** The embedded S3 server, started on first use (most tests need none). */
    protected static EmbeddedS3 s3() {
        if (s3 == null) {
            s3 = EmbeddedS3.start();
        }
        return s3;
    }

    /** A new, empty bucket on the embedded S3 server. */
    protected static String newBucket() {
        String bucket = "contract-" + (++buckets) + "-" + Long.toHexString(System.nanoTime());
        s3().createBucket(bucket);
        return bucket;
    }

    @BeforeEach
    void newQueue(TestInfo info) {
        String method = info.getTestMethod().orElseThrow().getName() + info.getDisplayName().hashCode();
        String name = (framework() + "-" + method).replaceAll("[^A-Za-z0-9_-]", "_");
        queueUrl = sqs.createQueue(name.substring(0, Math.min(75, name.length())));
        System.setProperty("sqs.queueUrl", queueUrl);
    }

    @AfterEach
    void backToQuiet() {
        configureQuiet();
    }

    // ------------------------------------------------------------------ what each adapter provides

    /** A short name used in queue names, e.g. {@code log4j2}. */
    protected abstract String framework();

    /**
     * Loads an XML configuration with the {@code SQS} appender for {@code url}, the given extra
     * attributes, and the root logger at {@code rootLevel}. The embedded server's own loggers
     * ({@code org.elasticmq}, {@code org.apache.pekko}) go elsewhere: in production SQS is not in
     * the application's JVM.
     */
    protected abstract void configureSqs(String url, Map<String, String> attributes, String rootLevel);

    /** Loads a configuration without the SQS appender; the old one stops and delivers what it holds. */
    protected abstract void configureQuiet();

    /**
     * Loads a configuration whose only appender is an SQS appender named {@code BAD} with exactly
     * {@code attributes}; returns the errors the framework's status channel reported.
     */
    protected abstract List<String> configureInvalid(Map<String, String> attributes);

    /** True when no {@code BAD} appender is running after {@link #configureInvalid}. */
    protected abstract boolean invalidAppenderIsNotRunning();

    /** Logs through the framework's API; {@code level} is DEBUG, INFO, WARN or ERROR. */
    protected abstract void log(String logger, String level, String message, Throwable throwable);

    protected abstract void putMdc(String key, String value);

    protected abstract void removeMdc(String key);

    /**
     * Runs {@code action} and returns every status message the framework reported meanwhile, at
     * every level it has (Log4j2's StatusLogger down to DEBUG, every Logback status).
     */
    protected abstract List<String> statusDuring(Runnable action);

    /** The current {@code SQS} appender's metrics. */
    protected abstract SqsAppenderMetrics metrics();

    /** The current {@code SQS} appender's {@code flush(timeout)}. */
    protected abstract boolean flush(long timeoutMillis);

    /** The adapter's static {@code SqsAppender.flushAll(timeoutMillis)}. */
    protected abstract boolean flushAll(long timeoutMillis);

    // ------------------------------------------------------------------ helpers

    protected void configureSqs(Map<String, String> attributes) {
        configureSqs(queueUrl, attributes, "INFO");
    }

    protected static Map<String, String> attrs(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /**
     * Starts {@code threads} workers that run {@code body} (given the worker's index) all at the
     * same moment, released by a latch; returns them started, for the caller to join.
     */
    protected static List<Thread> startTogether(int threads, java.util.function.IntConsumer body) {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                body.accept(id);
            }, "worker-" + t);
            workers.add(worker);
            worker.start();
        }
        go.countDown();
        return workers;
    }

    protected static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }

    protected static List<Thread> appenderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("sqs-appender-")).toList();
    }

    protected static int attributeBytes(Message m) {
        return m.messageAttributes().entrySet().stream()
                .mapToInt(e -> Utf8.encodedLength(e.getKey()) + Utf8.encodedLength(e.getValue().dataType())
                        + Utf8.encodedLength(e.getValue().stringValue())).sum();
    }

    // ------------------------------------------------------------------ the contract, packed

    /** A realistic log line of about 200 bytes with numbers, ids and varied words. */
    protected static String realisticLine(int thread, int i) {
        String[] verbs = {"placed", "shipped", "cancelled", "refunded", "retried", "validated", "priced", "held"};
        String[] nouns = {"order", "invoice", "cart", "payment", "parcel", "quote", "ticket", "session"};
        int n = (thread * 7_919 + i * 104_729) & 0x7fffffff;
        return "2026-12-01T09:" + (10 + i % 50) + ":" + (10 + n % 50) + "." + (100 + n % 900) + "Z INFO [worker-" + thread
                + "] c.e.shop.Service - " + nouns[n % 8] + " " + thread + "-" + i + " " + verbs[(n >> 3) % 8]
                + " for customer c" + (n % 99_991) + " amount=" + (n % 10_000) / 100.0 + " EUR trace=" + Integer.toHexString(n)
                + " region=eu-" + (n % 3) + " items=" + (1 + n % 9);
    }

    @ParameterizedTest(name = "compression={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"none", "gzip"})
    void packedEventsFromEightThreadsDecodeToExactlyTheLoggedBodiesEachOnce(String compression) throws Exception {
        configureSqs(attrs("packing", "ndjson", "compression", compression, "messageAttributes", "host"));
        int threads = 8;
        int perThread = 1_250;
        List<String> specials = List.of("CR\rLF\r\nend", "line\u2028separator\u2029para", "emoji \uD83D\uDE00 ok",
                "{\"json\":\"layout\",\"n\":1}", "tab\tand \\ backslash");
        java.util.Set<String> expected = java.util.concurrent.ConcurrentHashMap.newKeySet();
        joinAll(startTogether(threads, id -> {
            for (int i = 0; i < perThread; i++) {
                String line = i % 1_000 == 7 ? "special-" + id + "-" + i + " " + specials.get(i % specials.size())
                        : realisticLine(id, i);
                if (i % 625 == 99) {
                    log("com.example.Packed", "ERROR", line, new IllegalStateException("boom " + id + "-" + i));
                } else {
                    log("com.example.Packed", "INFO", line, null);
                    expected.add(line);
                }
            }
        }));
        assertThat(flush(60_000)).isTrue();
        long messagesSent = metrics().getMessagesSent();
        configureQuiet();

        List<Message> messages = sqs.drain(queueUrl, (int) messagesSent, Duration.ofSeconds(3));
        List<String> decoded = new ArrayList<>();
        for (Message m : messages) {
            assertThat(m.messageAttributes()).containsKeys("Content-Type", "EventCount", "host");
            // With gzip every pack is base64 of one gzip member (H4sI...); without, it starts with a record.
            if (compression.equals("gzip")) {
                assertThat(m.messageAttributes().get("Content-Encoding").stringValue()).isEqualTo("gzip,base64");
                assertThat(m.body()).startsWith("H4sI");
            } else {
                assertThat(m.messageAttributes()).doesNotContainKey("Content-Encoding");
                assertThat(m.body()).startsWith("\"");
            }
            decoded.addAll(io.github.sqsappender.reader.SdkMessages.events(m, true));
        }
        assertThat(messages).hasSize((int) messagesSent);
        assertThat(messages.size()).as("SQS messages for 10,000 events of ~200 bytes").isLessThanOrEqualTo(threads * perThread / 100);
        assertThat(decoded).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(decoded).containsAll(expected);
        assertThat(decoded.stream().filter(b -> b.contains("java.lang.IllegalStateException: boom"))).hasSize(threads * 2);
        System.out.printf("[measure] %s packed (compression=%s): %,d events in %,d SQS messages (%,.0f events/message)%n",
                framework(), compression, decoded.size(), messages.size(), decoded.size() / (double) messages.size());
    }

    @Test
    void withGzipEvenASingleShortEventIsOneGzipMemberThatTheJdkAloneDecodes() throws Exception {
        configureSqs(attrs("packing", "ndjson", "compression", "gzip", "messageAttributes", "host"));
        log("com.example.App", "INFO", "hi \"there\"", null);
        assertThat(flush(10_000)).isTrue();
        configureQuiet();

        List<Message> messages = sqs.drain(queueUrl, 1, Duration.ofSeconds(3));
        assertThat(messages).hasSize(1);
        Message m = messages.get(0);
        // gzip makes this body larger than its one record; a consumer of a gzip queue still gets gzip.
        assertThat(m.messageAttributes().get("Content-Encoding").stringValue()).isEqualTo("gzip,base64");
        assertThat(m.messageAttributes().get("EventCount").stringValue()).isEqualTo("1");
        byte[] gzip = java.util.Base64.getDecoder().decode(m.body());
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("\"hi \\\"there\\\"\"");
        }
    }

    @Test
    void aPackLimitAboveTheMessageLimitIsRejectedNamingBoth() {
        List<String> errors = configureInvalid(attrs("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                "packing", "ndjson", "maxMessageBytes", "65536", "maxPackBytes", "131072"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("maxPackBytes=131072").contains("maxMessageBytes=65536"));
        assertThat(invalidAppenderIsNotRunning()).isTrue();
    }

    @Test
    void packingWithAPerEventAttributeIsRejectedNamingBothAttributes() {
        List<String> errors = configureInvalid(attrs("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                "packing", "ndjson", "messageAttributes", "level"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("messageAttributes=level").contains("packing=ndjson"));
        assertThat(invalidAppenderIsNotRunning()).isTrue();
    }

    // ------------------------------------------------------------------ the contract, in memory

    /**
     * Configures the adapter from its framework file, as {@link #configureSqs(String, Map, String)}
     * does, but sending through the real SDK sender to an {@link InMemorySqsClient}: exact
     * requests, entry ids and order, answered at once.
     */
    private InMemorySqsClient configureInMemory(String testName, String... keyValues) {
        String url = "https://sqs.us-east-1.amazonaws.com/123456789012/" + framework() + "-" + testName;
        InMemorySqsClient client = InMemorySqsClient.register(url);
        Map<String, String> attributes = attrs(keyValues);
        attributes.put("clientFactory", InMemorySqsClient.Factory.class.getName());
        attributes.put("messageAttributes", "level");
        configureSqs(url, attributes, "INFO");
        return client;
    }

    @Test
    void inMemoryExactBatchesEntryIdsAndLogOrderFromOneThread() {
        InMemorySqsClient client = configureInMemory("batches", "lingerMs", "600000");
        for (int i = 0; i < 25; i++) {
            log("com.example.Order", "INFO", "e" + i, null);
        }
        assertThat(flush(10_000)).isTrue();

        assertThat(client.requests()).extracting(r -> r.entries().size()).containsExactly(10, 10, 5);
        assertThat(client.requests()).allSatisfy(r -> assertThat(r.entries())
                .extracting(e -> e.id()).isEqualTo(IntStream.range(0, r.entries().size()).mapToObj(Integer::toString).toList()));
        assertThat(client.acceptedBodies()).isEqualTo(IntStream.range(0, 25).mapToObj(i -> "e" + i).toList());
        assertThat(client.requests().get(0).entries().get(0).messageAttributes().get("level").stringValue()).isEqualTo("INFO");
        assertThat(metrics().getEventsSent()).isEqualTo(25);
        assertThat(metrics().getBatchRequests()).isEqualTo(3);
        assertThat(client.warmUpRequests()).as("one empty batch warmed the send path at start").isEqualTo(1);
    }

    @Test
    void inMemoryFlushReportsALostEventAndCountsItExactly() {
        InMemorySqsClient client = configureInMemory("rejected", "lingerMs", "600000");
        client.rejectBody("poison");
        log("com.example.Reject", "INFO", "fine-1", null);
        log("com.example.Reject", "INFO", "poison", null);
        log("com.example.Reject", "INFO", "fine-2", null);

        assertThat(flush(10_000)).as("an event was rejected").isFalse();
        assertThat(client.acceptedBodies()).containsExactly("fine-1", "fine-2");
        assertThat(metrics().getEventsSent()).isEqualTo(2);
        assertThat(metrics().getEventsDroppedUndeliverable()).isEqualTo(1);
        log("com.example.Reject", "INFO", "fine-3", null);
        assertThat(flush(10_000)).as("nothing lost since the last flush").isTrue();
    }

    @Test
    void inMemoryStopDeliversAPartialBatchAndClosesTheClient() {
        InMemorySqsClient client = configureInMemory("stop", "lingerMs", "600000");
        for (int i = 0; i < 3; i++) {
            log("com.example.Stop", "INFO", "s" + i, null);
        }
        SqsAppenderMetrics m = metrics();
        configureQuiet(); // stops the appender

        assertThat(client.requests()).hasSize(1);
        assertThat(client.acceptedBodies()).containsExactly("s0", "s1", "s2");
        assertThat(client.isClosed()).isTrue();
        assertThat(m.getEventsAppended()).isEqualTo(m.getEventsSent() + m.getEventsDropped()).isEqualTo(3);
    }

    @Test
    void inMemorySdkAndNettyEventsAreNeverShipped() {
        InMemorySqsClient client = configureInMemory("feedback", "lingerMs", "600000");
        log("software.amazon.awssdk.request", "INFO", "sdk", null);
        log("io.netty.channel.Pipeline", "INFO", "netty", null);
        log("org.apache.http.wire", "INFO", "http", null);
        log("com.example.App", "INFO", "app", null);
        assertThat(flush(10_000)).isTrue();
        assertThat(client.acceptedBodies()).containsExactly("app");
        assertThat(metrics().getEventsAppended()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ the contract

    @Test
    void tenThousandEventsFromEightThreadsArriveExactlyOnce() throws Exception {
        configureSqs(attrs());
        int threads = 8;
        int perThread = 1_250;
        long start = System.nanoTime();
        joinAll(startTogether(threads, id -> {
            for (int i = 0; i < perThread; i++) {
                log("com.example.Load", "INFO", "t" + id + "-" + i, null);
            }
        }));
        long loggedNanos = System.nanoTime() - start;
        assertThat(flush(60_000)).isTrue();
        long deliveredNanos = System.nanoTime() - start;
        long requests = metrics().getBatchRequests();
        configureQuiet();

        List<String> bodies = sqs.drainBodies(queueUrl, threads * perThread, Duration.ofSeconds(10));
        Set<String> expected = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                expected.add("t" + t + "-" + i);
            }
        }
        assertThat(bodies).hasSize(threads * perThread);
        assertThat(new HashSet<>(bodies)).isEqualTo(expected);
        assertThat(requests).isLessThanOrEqualTo(threads * perThread / 5);
        System.out.printf("[measure] %s: %d events logged in %d ms (%.0f events/s on the caller side), "
                        + "all acknowledged after %d ms (%.0f events/s end to end) in %d SendMessageBatch requests%n",
                framework(), threads * perThread, loggedNanos / 1_000_000, threads * perThread / (loggedNanos / 1e9),
                deliveredNanos / 1_000_000, threads * perThread / (deliveredNanos / 1e9), requests);
    }

    // ------------------------------------------------------------------ FIFO queues

    private static final int FIFO_GROUPS = 4;
    private static final int FIFO_THREADS_PER_GROUP = 4;
    private static final int FIFO_EVENTS_PER_GROUP = 500;

    /** A FIFO queue named after this test, optionally with content-based deduplication. */
    protected String createFifoQueue(String suffix, boolean contentBasedDeduplication) {
        String base = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        String name = base.substring(0, Math.min(70, base.length())) + suffix + ".fifo";
        return sqs.createQueue(name, Map.of(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.FIFO_QUEUE, "true",
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.CONTENT_BASED_DEDUPLICATION,
                Boolean.toString(contentBasedDeduplication)));
    }

    /**
     * Four tenants, each logged by four threads at once: the tenant comes from the MDC and is the
     * message group ({@code messageGroupId=%X{tenant}}). A tenant's four threads take turns on
     * one lock, so each tenant's log order is well defined (its sequence numbers), while the
     * tenants log concurrently. Returns the time the logging took, in nanoseconds.
     */
    private long logFourTenantsFromSixteenThreads() throws InterruptedException {
        Object[] locks = new Object[FIFO_GROUPS];
        int[] next = new int[FIFO_GROUPS];
        for (int g = 0; g < FIFO_GROUPS; g++) {
            locks[g] = new Object();
        }
        long start = System.nanoTime();
        joinAll(startTogether(FIFO_GROUPS * FIFO_THREADS_PER_GROUP, id -> {
            int g = id % FIFO_GROUPS;
            putMdc("tenant", "tenant-" + g);
            try {
                while (true) {
                    synchronized (locks[g]) {
                        if (next[g] == FIFO_EVENTS_PER_GROUP) {
                            return;
                        }
                        log("com.example.Tenant", "INFO", "tenant-" + g + " " + next[g]++, null);
                    }
                }
            } finally {
                removeMdc("tenant");
            }
        }));
        return System.nanoTime() - start;
    }

    /**
     * Drains the {@code messagesSent} messages of {@code url} (and whatever else is there) and
     * asserts every tenant's events arrived once each, complete and in log order.
     */
    private List<Message> assertEveryTenantCompleteAndInLogOrder(String url, long messagesSent) {
        List<Message> messages = sqs.drain(url, (int) messagesSent, Duration.ofSeconds(3));
        Map<String, List<Integer>> received = new LinkedHashMap<>();
        for (Message m : messages) {
            String group = m.attributes().get(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.MESSAGE_GROUP_ID);
            for (String event : io.github.sqsappender.reader.SdkMessages.events(m, true)) {
                String tenant = event.substring(0, event.indexOf(' '));
                assertThat(group).as("message group of %s", event).isEqualTo(tenant);
                received.computeIfAbsent(tenant, k -> new ArrayList<>()).add(Integer.parseInt(event.substring(event.indexOf(' ') + 1)));
            }
        }
        List<Integer> inOrder = IntStream.range(0, FIFO_EVENTS_PER_GROUP).boxed().toList();
        assertThat(received).hasSize(FIFO_GROUPS);
        for (int g = 0; g < FIFO_GROUPS; g++) {
            assertThat(received.get("tenant-" + g)).as("tenant-%d in log order, each once", g).isEqualTo(inOrder);
        }
        return messages;
    }

    @ParameterizedTest(name = "packing={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"none", "ndjson"})
    void fifoFourTenantGroupsFromSixteenThreadsArriveCompleteAndInLogOrder(String packing) throws Exception {
        String fifoUrl = createFifoQueue("", false);
        configureSqs(fifoUrl, attrs("messageGroupId", "%X{tenant}", "packing", packing, "lingerMs", "20",
                "messageAttributes", packing.equals("none") ? "level,mdc:tenant" : "host"), "INFO");
        long loggedNanos = logFourTenantsFromSixteenThreads();
        long start = System.nanoTime();
        assertThat(flush(120_000)).isTrue();
        long deliveredNanos = loggedNanos + System.nanoTime() - start;
        SqsAppenderMetrics m = metrics();
        long requests = m.getBatchRequests();
        long messagesSent = m.getMessagesSent();
        configureQuiet();

        assertThat(m.getEventsSent()).isEqualTo(FIFO_GROUPS * FIFO_EVENTS_PER_GROUP);
        assertThat(m.getEventsDropped()).isZero();
        List<Message> messages = assertEveryTenantCompleteAndInLogOrder(fifoUrl, messagesSent);
        assertThat(messages).hasSize((int) messagesSent);
        if (packing.equals("none")) {
            assertThat(messages).allSatisfy(msg -> assertThat(msg.messageAttributes().get("mdc.tenant").stringValue())
                    .isEqualTo(msg.body().substring(0, msg.body().indexOf(' '))));
        }
        System.out.printf("[measure] %s FIFO (packing=%s): 4 groups x %,d events from 16 threads, all in order; "
                        + "%,d SQS messages in %,d requests (%.1f per request), delivered after %d ms (%,.0f events/s)%n",
                framework(), packing, FIFO_EVENTS_PER_GROUP, messagesSent, requests, messagesSent / (double) requests,
                deliveredNanos / 1_000_000, FIFO_GROUPS * FIFO_EVENTS_PER_GROUP / (deliveredNanos / 1e9));
    }

    @Test
    void fifoGroupsStayInLogOrderThroughPartialBatchFailuresAndThrottling() throws Exception {
        String fifoUrl = createFifoQueue("", false);
        try (FaultProxy proxy = FaultProxy.start(sqs.endpoint())) {
            // Over the first ~250 requests (of about 560): an entry failing while later entries of
            // the same request succeed (the case SQS itself cannot keep in order), two entries
            // failing, and throttling.
            for (int i = 0; i < 5; i++) {
                proxy.next(FaultProxy.Fault.partial(Set.of(0), Set.of()), 1)
                        .next(FaultProxy.Fault.none(), 15)
                        .next(FaultProxy.Fault.partial(Set.of(1, 2), Set.of()), 1)
                        .next(FaultProxy.Fault.none(), 15)
                        .next(FaultProxy.Fault.of(FaultProxy.Kind.THROTTLING), 1)
                        .next(FaultProxy.Fault.none(), 15);
            }
            configureSqs(proxy.viaProxy(fifoUrl), attrs("messageGroupId", "%X{tenant}", "lingerMs", "20",
                    "maxMessageBytes", "262144"), "INFO");
            long loggedNanos = logFourTenantsFromSixteenThreads();
            long start = System.nanoTime();
            boolean flushed = flush(120_000);
            long deliveredNanos = loggedNanos + System.nanoTime() - start;
            SqsAppenderMetrics m = metrics();
            System.out.printf("[measure] %s FIFO through faults: flushed=%s after %d ms, sent %,d, retried %,d, requests %,d, "
                            + "proxy saw %,d, buffered %d, in flight %d, last error %s%n", framework(), flushed,
                    deliveredNanos / 1_000_000, m.getEventsSent(), m.getEventsRetried(), m.getBatchRequests(),
                    proxy.sendBatchRequests(), m.getBufferedEvents(), m.getRequestsInFlight(), m.getLastError());
            assertThat(flushed).isTrue();
            configureQuiet();
            assertThat(proxy.faultsInjected()).as("every scripted fault was met").isEqualTo(15);
            assertThat(m.getEventsSent()).isEqualTo(FIFO_GROUPS * FIFO_EVENTS_PER_GROUP);
            assertThat(m.getEventsDropped()).isZero();
            assertThat(m.getEventsRetried()).isPositive();
            assertThat(m.getRequestsThrottled()).isEqualTo(5);
        }
        assertEveryTenantCompleteAndInLogOrder(fifoUrl, FIFO_GROUPS * FIFO_EVENTS_PER_GROUP);
    }

    @Test
    void fifoUniqueDeduplicationKeepsIdenticalLinesAndContentLeavesItToTheQueue() throws Exception {
        String uniqueUrl = createFifoQueue("-u", true);
        configureSqs(uniqueUrl, attrs("deduplication", "unique"), "INFO");
        for (int i = 0; i < 5; i++) {
            log("com.example.Dedup", "INFO", "the same line", null);
        }
        assertThat(flush(30_000)).isTrue();
        assertThat(metrics().getEventsSent()).isEqualTo(5);

        String contentUrl = createFifoQueue("-c", true);
        configureSqs(contentUrl, attrs("deduplication", "content"), "INFO");
        for (int i = 0; i < 5; i++) {
            log("com.example.Dedup", "INFO", "the same line", null);
        }
        log("com.example.Dedup", "INFO", "another line", null);
        assertThat(flush(30_000)).isTrue();
        assertThat(metrics().getEventsSent()).as("SQS accepts a deduplicated message").isEqualTo(6);
        configureQuiet();

        assertThat(sqs.drainBodies(uniqueUrl, 5, Duration.ofSeconds(2))).containsExactly(
                "the same line", "the same line", "the same line", "the same line", "the same line");
        assertThat(sqs.drainBodies(contentUrl, 6, Duration.ofSeconds(2)))
                .as("the queue's content-based deduplication kept one of the five").containsExactly("the same line", "another line");
    }

    @Test
    void fifoContentDeduplicationOnAQueueWithoutItIsCountedAndReportedWithSqsCode() throws Exception {
        String fifoUrl = createFifoQueue("-n", false);
        configureSqs(fifoUrl, attrs("deduplication", "content"), "INFO");
        log("com.example.Dedup", "INFO", "needs an id", null);
        assertThat(flush(30_000)).as("the event was not delivered").isFalse();
        SqsAppenderMetrics m = metrics();
        assertThat(m.getEventsDroppedUndeliverable()).isEqualTo(1);
        assertThat(m.getLastError()).containsIgnoringCase("deduplication");
        configureQuiet();
    }

    // ------------------------------------------------------------------ roles and secrets

    @Test
    void roleArnSignsWithAssumedCredentialsAndNoSecretAppearsInAnyStatusOutput() throws Exception {
        String role = "arn:aws:iam::000000000000:role/log-shipper";
        String externalId = "ext-" + framework() + "-SECRET-0815";
        try (StsStub sts = StsStub.start(Duration.ofHours(1))) {
            System.setProperty("aws.endpointUrlSts", sts.endpoint());
            boolean[] flushed = new boolean[1];
            List<String> status;
            try {
                status = statusDuring(() -> {
                    configureSqs(queueUrl, attrs("roleArn", role, "externalId", externalId, "roleSessionName", "shipper"), "INFO");
                    log("com.example.Role", "INFO", "as the role", null);
                    flushed[0] = flush(30_000);
                    configureQuiet();
                });
            } finally {
                System.clearProperty("aws.endpointUrlSts");
            }
            assertThat(flushed[0]).isTrue();
            assertThat(sts.calls()).isNotEmpty().allSatisfy(call -> assertThat(call)
                    .containsEntry("RoleArn", role).containsEntry("ExternalId", externalId));
            assertThat(status).as("the framework reported its configuration").isNotEmpty();
            String all = String.join("\n", status);
            assertThat(all).doesNotContain(externalId);
            for (int n = 1; n <= sts.calls().size(); n++) {
                assertThat(all).doesNotContain(StsStub.secret(n)).doesNotContain(StsStub.sessionToken(n));
            }
        }
        assertThat(sqs.drainBodies(queueUrl, 1, Duration.ofSeconds(2))).containsExactly("as the role");
    }

    @Test
    void everyHostileBodyIsDeliveredSanitizedOrTruncatedOrCountedAndNeverThrows() {
        configureSqs(attrs());
        List<HostileInputs.Case> cases = HostileInputs.all();
        for (HostileInputs.Case c : cases) {
            assertThatCode(() -> log("com.example.Hostile", "ERROR", c.message(), c.throwable()))
                    .as(c.name()).doesNotThrowAnyException();
        }
        flush(60_000);
        SqsAppenderMetrics m = metrics();
        configureQuiet();

        assertThat(m.getEventsAppended()).isEqualTo(cases.size());
        assertThat(m.getEventsDroppedEmpty()).as("only the empty message is not sent").isEqualTo(1);
        assertThat(m.getEventsSent()).isEqualTo(cases.size() - 1);
        List<Message> received = sqs.drain(queueUrl, cases.size(), Duration.ofSeconds(5));
        assertThat(received).hasSize(cases.size() - 1);
        for (Message message : received) {
            assertThat(HostileInputs.sqsAcceptable(message.body())).isTrue();
            assertThat(Utf8.encodedLength(message.body()) + attributeBytes(message)).isLessThanOrEqualTo(262_144);
        }
        List<String> bodies = received.stream().map(Message::body).toList();
        assertThat(bodies).contains("nul\uFFFDbyte", "\uFFFD[31mred\uFFFD[0m and \uFFFD[1;32mbold green\uFFFD[0m",
                "high \uFFFD alone", "not a character \uFFFD", "${jndi:ldap://example.invalid/a}",
                "${env:HOME} ${sys:user.home} $${ctx:x}", "null", "   \t  ", "\n");
        assertThat(bodies).anySatisfy(b -> assertThat(b).startsWith("failure with a deep stack")
                .contains("com.example.Deep").endsWith("bytes]"));
        assertThat(m.getEventsTruncated()).isGreaterThanOrEqualTo(5);
        assertThat(m.getEventsSanitized()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void twoMebibyteEventIsTruncatedToTheQueuesLimit() {
        configureSqs(attrs());
        log("com.example.Big", "INFO", "é".repeat(1024 * 1024), null); // 2 MiB in UTF-8
        assertThat(flush(30_000)).isTrue();
        assertThat(metrics().getEventsTruncated()).isEqualTo(1);
        configureQuiet();
        List<Message> received = sqs.drain(queueUrl, 1, Duration.ofSeconds(5));
        assertThat(received).hasSize(1);
        // ElasticMQ does not report MaximumMessageSize, so the appender uses SQS's 256 KiB default.
        assertThat(Utf8.encodedLength(received.get(0).body()) + attributeBytes(received.get(0))).isLessThanOrEqualTo(262_144);
        assertThat(received.get(0).body()).startsWith("éééé").containsPattern("\\.\\.\\.\\[truncated \\d+ bytes]$");
    }

    @Test
    void configuredMaxMessageBytesIsRespectedWithAttributesCounted() {
        configureSqs(attrs("maxMessageBytes", "1024"));
        putMdc("requestId", "req-1");
        try {
            log("com.example.Limit", "WARN", "x".repeat(5_000), null);
        } finally {
            removeMdc("requestId");
        }
        configureQuiet();
        List<Message> received = sqs.drain(queueUrl, 1, Duration.ofSeconds(5));
        assertThat(received).hasSize(1);
        Message m = received.get(0);
        assertThat(m.messageAttributes().get("level").stringValue()).isEqualTo("WARN");
        assertThat(m.messageAttributes().get("logger").stringValue()).isEqualTo("com.example.Limit");
        assertThat(m.messageAttributes().get("mdc.requestId").stringValue()).isEqualTo("req-1");
        assertThat(Utf8.encodedLength(m.body()) + attributeBytes(m)).isLessThanOrEqualTo(1024);
    }

    @Test
    void loggingDoesNotWaitWhileNothingListensAndEverythingArrivesOnceTheServerStarts() throws Exception {
        String lateUrl = sqs.createQueue("late-" + UUID.randomUUID());
        // The endpoint refuses connections (nothing listens on its port) until it starts listening:
        // the proxy's port, in front of the shared server, so the wait is the appender's backoff
        // and not a server's start-up.
        try (FaultProxy endpoint = FaultProxy.start(sqs.endpoint())) {
            endpoint.outage();
            configureSqs(endpoint.viaProxy(lateUrl), attrs(), "INFO");
            // The endpoint listens only after every call has returned: a call that waited for SQS
            // would never return, and the test would end at its timeout.
            for (int i = 0; i < 1_000; i++) {
                log("com.example.Outage", "INFO", "during-outage-" + i, null);
            }
            Await.until("the appender has met the dead endpoint", () -> !metrics().getLastError().isEmpty());
            assertThat(metrics().getEventsSent()).isZero();
            endpoint.recover();
            assertThat(flush(60_000)).isTrue();
            configureQuiet();
        }
        assertThat(sqs.drainBodies(lateUrl, 1_000, Duration.ofSeconds(5))).hasSize(1_000).doesNotHaveDuplicates();
    }

    @Test
    void allLoggersAtDebugIncludingTheSdkDoNotDeadlockOrFlood() {
        configureSqs(queueUrl, attrs(), "DEBUG");
        for (int i = 0; i < 500; i++) {
            log("com.example.Debug", "DEBUG", "debug-" + i, null);
            log("software.amazon.awssdk.request", "DEBUG", "sdk internal " + i, null); // as the SDK logs
        }
        assertThat(flush(60_000)).isTrue();
        long appended = metrics().getEventsAppended();
        configureQuiet();
        assertThat(appended).as("the SDK's own DEBUG output, real and simulated, is not shipped").isEqualTo(500);
        assertThat(sqs.drainBodies(queueUrl, 500, Duration.ofSeconds(3))).hasSize(500).allMatch(b -> b.startsWith("debug-"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "queueUrl|NULL|queueUrl is required",
        "queueUrl|sqs://nowhere/q|queueUrl=sqs://nowhere/q",
        "maxBatchSize|11|maxBatchSize=11",
        "maxBatchSize|0|maxBatchSize=0",
        "maxBatchSize|lots|maxBatchSize=lots",
        "lingerMs|-1|lingerMs=-1",
        "blockTimeoutMs|-5|blockTimeoutMs=-5",
        "deliveryTimeoutMs|0|deliveryTimeoutMs=0",
        "shutdownTimeoutMs|-100|shutdownTimeoutMs=-100",
        "bufferCapacity|0|bufferCapacity=0",
        "maxBufferBytes|12|maxBufferBytes=12",
        "maxInFlight|0|maxInFlight=0",
        "maxMessageBytes|2000000|maxMessageBytes=2000000",
        "overflowPolicy|wait|overflowPolicy=wait",
        "largeMessagePolicy|split|largeMessagePolicy=split",
        "deduplication|maybe|deduplication=maybe",
        "jmx|yes|jmx=yes",
        "endpoint|not a url|endpoint=not a url",
        "endpoint|ftp://example.com|endpoint=ftp://example.com",
        "region|Mars|region=Mars",
        "messageAttributes|level,colour|messageAttributes=level,colour",
        "queueOwnerAccountId|12|queueOwnerAccountId=12",
        "packing|zip|packing=zip",
        "compression|gzip|compression=gzip is invalid without packing",
        "compression|brotli|compression=brotli",
        "maxPackBytes|100|maxPackBytes=100",
        "maxPackBytes|2000000|maxPackBytes=2000000",
    })
    void invalidConfigurationNamesTheAttributeAndValueAndTheApplicationKeepsLogging(
            String attribute, String value, String expected) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (!attribute.equals("queueUrl")) {
            attributes.put("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q");
        }
        if (value != null) {
            attributes.put(attribute, value);
        }
        List<String> errors = configureInvalid(attributes);
        assertThat(errors).anySatisfy(e -> assertThat(e).contains(expected));
        assertThat(invalidAppenderIsNotRunning()).isTrue();
        assertThatCode(() -> log("com.example.App", "ERROR", "still logging", null)).doesNotThrowAnyException();
        assertThat(appenderThreads()).isEmpty();
    }

    // ------------------------------------------------------------------ S3 offload and fallback

    /** The attributes that point the appender at the embedded S3 server and {@code bucket}. */
    protected static Map<String, String> s3Attributes(String bucket, String... more) {
        return s3AttributesVia(s3().endpoint(), bucket, more);
    }

    /** As {@link #s3Attributes}, reaching the embedded S3 server through {@code endpoint} (a {@link TcpRelay}'s). */
    protected static Map<String, String> s3AttributesVia(String endpoint, String bucket, String... more) {
        Map<String, String> attributes = new LinkedHashMap<>(attrs(more));
        attributes.put("s3Bucket", bucket);
        attributes.put("s3Endpoint", endpoint);
        return attributes;
    }

    /** Every record of every fallback object in {@code bucket}, after checking each object's key and headers. */
    protected static List<String> fallbackRecords(String bucket) {
        List<String> records = new ArrayList<>();
        java.util.regex.Pattern key = java.util.regex.Pattern.compile(
                "sqs-appender/fallback/dt=\\d{4}-\\d{2}-\\d{2}/hr=\\d{2}/[A-Za-z0-9._-]+-\\d{13}-[0-9a-f-]{36}\\.ndjson\\.gz");
        for (String k : s3().keys(bucket, "sqs-appender/fallback/")) {
            assertThat(k).matches(key);
            var object = s3().get(bucket, k);
            assertThat(object.response().contentType()).isEqualTo("application/x-ndjson");
            assertThat(object.response().contentEncoding()).isEqualTo("gzip");
            assertThat(InMemoryS3Store.gunzip(object.asByteArray())).endsWith("\n");
            records.addAll(io.github.sqsappender.reader.LogMessageReader.fallbackObject(k, object.asByteArray()));
        }
        return records;
    }

    private static void assertExactWithFallback(SqsAppenderMetrics m) {
        assertThat(m.getEventsSent() + m.getEventsSentToFallback() + m.getEventsDropped())
                .as("appended == sent + sent to fallback + dropped").isEqualTo(m.getEventsAppended());
    }

    @Test
    @Timeout(120)
    void largeEventsAreOffloadedToS3AndTheExtendedClientReadsThemBackTransparently() throws Exception {
        String bucket = newBucket();
        // The consumer, built first: the Extended Client logs a line of its own when it is configured.
        try (var sqsClient = software.amazon.awssdk.services.sqs.SqsClient.builder()
                     .endpointOverride(java.net.URI.create(sqs.endpoint()))
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                     .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()).build()) {
            var extended = new com.amazon.sqs.javamessaging.AmazonSQSExtendedClient(sqsClient,
                    new com.amazon.sqs.javamessaging.ExtendedClientConfiguration().withPayloadSupportEnabled(s3().client(), bucket));
            offloadsAndReadsBack(bucket, extended);
        }
    }

    private void offloadsAndReadsBack(String bucket, software.amazon.awssdk.services.sqs.SqsClient extended) {
        configureSqs(queueUrl, s3Attributes(bucket, "largeMessagePolicy", "s3"), "INFO");
        String threeMiB = realisticLine(0, 0) + " " + "x".repeat(3 * 1024 * 1024);
        String multiByte = "\u20ac\u00e9\u4e2d".repeat(150_000) + " \ud83d\ude00 end"; // 1.2 MB of 2-, 3- and 4-byte characters
        List<String> small = IntStream.range(0, 5).mapToObj(i -> "small-" + i).toList();
        log("com.example.App", "INFO", small.get(0), null);
        log("com.example.App", "INFO", threeMiB, null);
        log("com.example.App", "INFO", small.get(1), null);
        log("com.example.App", "INFO", multiByte, null);
        for (String line : small.subList(2, 5)) {
            log("com.example.App", "INFO", line, null);
        }
        assertThat(flush(30_000)).as(() -> metrics().getLastError() + " " + metrics().getEventsDroppedOversize() + " "
                + metrics().getEventsDroppedOverflow() + " " + metrics().getEventsDroppedUndeliverable()).isTrue();
        SqsAppenderMetrics m = metrics();
        assertThat(m.getEventsOffloaded()).isEqualTo(2);
        assertThat(m.getEventsTruncated()).isZero();
        assertThat(s3().keys(bucket, "sqs-appender/")).hasSize(2)
                .allSatisfy(k -> assertThat(k).matches("sqs-appender/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));

        // As a consumer would: the Amazon SQS Extended Client on its default settings.
        {
            List<Message> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (received.stream().filter(r -> !r.body().startsWith("S3 object read")).count() < 7
                    && System.nanoTime() < deadline) {
                received.addAll(extended.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(1).messageAttributeNames("All")).messages());
            }
            // The Extended Client logs each S3 read at INFO, and this test's root logger ships that too.
            List<String> bodies = received.stream().map(Message::body).filter(b -> !b.startsWith("S3 object read")).toList();
            assertThat(bodies).hasSize(7).containsAll(small).contains(threeMiB, multiByte);
            // (The Extended Client strips its reserved attribute from what it resolves; the raw check is below.)
            assertThat(received).filteredOn(message -> message.body().startsWith("small-"))
                    .allSatisfy(message -> assertThat(message.messageAttributes()).as("small events are plain messages")
                            .doesNotContainKeys("ExtendedPayloadSize", "SQSLargePayloadSize"));
        }
        // On the wire: the pointer, with ExtendedPayloadSize = the UTF-8 length of the original body.
        log("com.example.App", "INFO", multiByte, null);
        assertThat(flush(30_000)).isTrue();
        Message raw = sqs.drain(queueUrl, 100, Duration.ofSeconds(2)).stream().filter(r -> r.body().startsWith("["))
                .findFirst().orElseThrow();
        assertThat(raw.body()).matches("\\[\"software\\.amazon\\.payloadoffloading\\.PayloadS3Pointer\",\\{\"s3BucketName\":\""
                + bucket + "\",\"s3Key\":\"sqs-appender/[0-9a-f-]{36}\"}]");
        assertThat(raw.messageAttributes().get("ExtendedPayloadSize").dataType()).isEqualTo("Number");
        assertThat(raw.messageAttributes().get("ExtendedPayloadSize").stringValue())
                .isEqualTo(Integer.toString(Utf8.encodedLength(multiByte)));
    }

    @Test
    @Timeout(120)
    void withS3HeldThenDownAnOffloadIsRetriedAndDeliveredOnceItIsBackAndTheCallerNeverWaits() throws Exception {
        String bucket = newBucket();
        try (TcpRelay s3Link = new TcpRelay(s3().port())) {
            configureSqs(queueUrl, s3AttributesVia(s3Link.endpoint(), bucket, "largeMessagePolicy", "s3"), "INFO");
            String big = "y".repeat(400_000);
            s3Link.hold();
            log("com.example.App", "INFO", big, null);
            Await.until("the offload's upload to be held", () -> s3Link.heldRequestBytes() > 0);
            // S3 answers nothing until every call below has returned: a call that waited for S3 would
            // never return, and the test would end at its timeout.
            long[] nanos = new long[2_000];
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                log("com.example.App", "INFO", "during-" + i, null);
                nanos[i] = System.nanoTime() - t0;
            }
            assertThat(metrics().getEventsOffloaded()).as("stored while S3 held the upload").isZero();
            // Then S3 goes down: the held upload fails, and so do its retries, until it is back.
            s3Link.refuse();
            Await.until("an upload attempt to fail", () -> metrics().getLastError().contains("S3 offload"));
            s3Link.restore();
            assertThat(flush(60_000)).isTrue();
            assertThat(metrics().getEventsOffloaded()).isEqualTo(1);
            List<String> bodies = sqs.drainBodies(queueUrl, nanos.length + 1, Duration.ofSeconds(5));
            assertThat(bodies).hasSize(nanos.length + 1).doesNotHaveDuplicates()
                    .containsAll(IntStream.range(0, nanos.length).mapToObj(i -> "during-" + i).toList());
            List<String> keys = s3().keys(bucket, "sqs-appender/");
            assertThat(keys).hasSize(1);
            assertThat(bodies).filteredOn(b -> b.startsWith("[\"software.amazon.payloadoffloading.PayloadS3Pointer\""))
                    .singleElement().asString().contains(keys.get(0));
            assertThat(s3().get(bucket, keys.get(0)).asUtf8String()).isEqualTo(big);
            printLatency("while S3 held the upload", nanos);
        }
    }

    @Test
    @Timeout(120)
    void entriesTheQueueRejectsGoToTheS3FallbackExactlyOnce() throws Exception {
        String bucket = newBucket();
        try (FaultProxy proxy = FaultProxy.start(sqs.endpoint())) {
            proxy.always(FaultProxy.Fault.partial(Set.of(), Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
            configureSqs(proxy.viaProxy(queueUrl), s3Attributes(bucket, "fallback", "s3"), "INFO");
            List<String> logged = IntStream.range(0, 250).mapToObj(i -> "rejected-" + i + " \"q\" \u2028 end").toList();
            logged.forEach(line -> log("com.example.App", "INFO", line, null));
            assertThat(flush(30_000)).as("written to S3, not delivered to the queue").isFalse();
            Await.until("every event in S3", Duration.ofSeconds(30), () -> metrics().getEventsSentToFallback() == logged.size());
            assertThat(fallbackRecords(bucket)).containsExactlyInAnyOrderElementsOf(logged);
            assertThat(metrics().getEventsSent()).isZero();
            assertThat(metrics().getEventsDropped()).isZero();
            assertExactWithFallback(metrics());
        }
    }

    @Test
    @Timeout(120)
    void eventsForADeletedQueueGoToTheS3Fallback() throws Exception {
        String bucket = newBucket();
        configureSqs(queueUrl, s3Attributes(bucket, "fallback", "s3"), "INFO");
        log("com.example.App", "INFO", "before", null);
        assertThat(flush(10_000)).isTrue();
        sqs.client().deleteQueue(b -> b.queueUrl(queueUrl)).join();
        List<String> logged = IntStream.range(0, 100).mapToObj(i -> "after-delete-" + i).toList();
        logged.forEach(line -> log("com.example.App", "INFO", line, null));
        flush(30_000);
        Await.until("every event in S3", Duration.ofSeconds(30), () -> metrics().getEventsSentToFallback() == logged.size());
        assertThat(fallbackRecords(bucket)).containsExactlyInAnyOrderElementsOf(logged);
        assertExactWithFallback(metrics());
    }

    @Test
    @Timeout(120)
    void anEndpointDownPastTheDeliveryTimeoutSendsTheEventsToTheFallbackAndAStopMovesTheRestWithinItsTimeout() throws Exception {
        String bucket = newBucket();
        try (FaultProxy proxy = FaultProxy.start(sqs.endpoint())) {
            configureSqs(proxy.viaProxy(queueUrl), s3Attributes(bucket, "fallback", "s3", "deliveryTimeoutMs", "1500",
                    "shutdownTimeoutMs", "4000"), "INFO");
            log("com.example.App", "INFO", "resolved", null);
            assertThat(flush(10_000)).isTrue();
            proxy.outage();
            List<String> timedOut = IntStream.range(0, 200).mapToObj(i -> "timed-out-" + i).toList();
            timedOut.forEach(line -> log("com.example.App", "INFO", line, null));
            flush(20_000); // closes the fallback object once the events have timed out
            Await.until("the timed-out events in S3", Duration.ofSeconds(30),
                    () -> metrics().getEventsSentToFallback() == timedOut.size());
            assertThat(fallbackRecords(bucket)).containsExactlyInAnyOrderElementsOf(timedOut);
            SqsAppenderMetrics first = metrics();

            // Now a delivery timeout far past @Timeout: only the stop's cut-over can move these to S3,
            // and a stop that ignored shutdownTimeoutMs would wait for SQS, which stays down, into @Timeout.
            configureSqs(proxy.viaProxy(queueUrl), s3Attributes(bucket, "fallback", "s3", "deliveryTimeoutMs", "600000",
                    "shutdownTimeoutMs", "4000"), "INFO");
            assertThat(first.getEventsSentToFallback()).isEqualTo(timedOut.size());
            assertExactWithFallback(first);
            List<String> atStop = IntStream.range(0, 300).mapToObj(i -> "at-stop-" + i).toList();
            atStop.forEach(line -> log("com.example.App", "INFO", line, null));
            SqsAppenderMetrics m = metrics();
            long t0 = System.nanoTime();
            configureQuiet(); // stops the appender while the endpoint is still down
            long stopMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("[measure] %s stop during an SQS outage with fallback=s3: %d ms (shutdownTimeoutMs=4000), "
                    + "%d of %d in S3%n", framework(), stopMillis, m.getEventsSentToFallback(), atStop.size());
            assertThat(m.getEventsSentToFallback()).isEqualTo(atStop.size());
            List<String> all = new ArrayList<>(timedOut);
            all.addAll(atStop);
            assertThat(fallbackRecords(bucket)).containsExactlyInAnyOrderElementsOf(all);
            assertExactWithFallback(m);
        }
    }

    @Test
    @Timeout(120)
    void whenS3IsDownTooTheFallbackCountsEveryEventExactlyAndTheCallerNeverWaits() throws Exception {
        String bucket = newBucket();
        try (FaultProxy proxy = FaultProxy.start(sqs.endpoint()); TcpRelay s3Link = new TcpRelay(s3().port())) {
            proxy.always(FaultProxy.Fault.partial(Set.of(), Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
            // Packed: a few rejected packs instead of 600 rejected requests, and their records are what
            // the fallback would write.
            configureSqs(proxy.viaProxy(queueUrl), s3AttributesVia(s3Link.endpoint(), bucket, "fallback", "s3",
                    "deliveryTimeoutMs", "2000", "packing", "ndjson", "messageAttributes", "host"), "INFO");
            s3Link.hold();
            int first = 1_000;
            for (int i = 0; i < first; i++) {
                log("com.example.App", "INFO", "first-" + i, null);
            }
            flush(1_000); // closes the fallback object, whose upload S3 then holds
            Await.until("a fallback upload to be held", Duration.ofSeconds(60), () -> s3Link.heldRequestBytes() > 0);
            // S3 answers nothing until every call below has returned: a call that waited for S3 would
            // never return, and the test would end at its timeout.
            long[] nanos = new long[5_000];
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                log("com.example.App", "INFO", "lost-" + i, null);
                nanos[i] = System.nanoTime() - t0;
            }
            assertThat(metrics().getEventsSentToFallback()).as("stored while S3 held the upload").isZero();
            s3Link.refuse(); // then S3 is down until the end: every write fails until deliveryTimeoutMs
            flush(1_000);
            Await.until("every event counted", Duration.ofSeconds(60), () -> metrics().getEventsDroppedUndeliverable()
                    + metrics().getEventsSentToFallback() == first + nanos.length);
            SqsAppenderMetrics m = metrics();
            assertThat(m.getEventsDroppedUndeliverable()).isEqualTo(first + nanos.length);
            assertThat(m.getEventsSentToFallback()).isZero();
            assertExactWithFallback(m);
            assertThat(s3().keys(bucket, "sqs-appender/")).isEmpty();
            printLatency("while SQS rejects and S3 held the fallback's upload", nanos);
        }
    }

    /** Prints the logging calls' latency percentiles, for the record: latency is a benchmark's to assert, not a test's. */
    private void printLatency(String when, long[] nanos) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("[measure] %s append latency %s (not asserted): p50 %.1f us, p99 %.1f us, p99.9 %.1f us, "
                        + "max %.1f ms%n", framework(), when, sorted[sorted.length / 2] / 1e3,
                sorted[sorted.length * 99 / 100] / 1e3, sorted[sorted.length * 999 / 1000] / 1e3, sorted[sorted.length - 1] / 1e6);
    }

    @Test
    void s3WithoutABucketOrWithAMalformedPrefixIsRejectedNamingTheAttribute() {
        List<String> errors = configureInvalid(attrs("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                "largeMessagePolicy", "s3"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("largeMessagePolicy=s3").contains("s3Bucket"));
        assertThat(invalidAppenderIsNotRunning()).isTrue();
        errors = configureInvalid(attrs("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                "fallback", "s3", "s3Bucket", "logs", "s3KeyPrefix", "/abs/../x"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("s3KeyPrefix=/abs/../x"));
        assertThat(invalidAppenderIsNotRunning()).isTrue();
        assertThatCode(() -> log("com.example.App", "ERROR", "still logging", null)).doesNotThrowAnyException();
    }

    @Test
    void flushAllSendsWhatEveryAppenderBuffersWithoutWaitingForTheLinger() {
        configureSqs(attrs("lingerMs", "60000"));
        List<String> lines = IntStream.range(0, 25).mapToObj(i -> "lambda-" + i).toList();
        lines.forEach(line -> log("com.example.Handler", "INFO", line, null));
        assertThat(flushAll(10_000)).isTrue();
        // With a one-minute linger, only the flush can have sent them by now.
        assertThat(sqs.drainBodies(queueUrl, lines.size(), Duration.ofSeconds(2))).containsExactlyInAnyOrderElementsOf(lines);
    }

    @Test
    void aPropertyReferenceThatResolvesToNothingIsAClearErrorAndTheApplicationStarts() {
        List<String> errors = configureInvalid(attrs("queueUrl", "${sqs.no.such.property}"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("queueUrl=")
                .contains("sqs.no.such.property").contains("is an unresolved property reference"));
        assertThat(invalidAppenderIsNotRunning()).isTrue();
        assertThatCode(() -> log("com.example.App", "ERROR", "still logging", null)).doesNotThrowAnyException();
    }
}
