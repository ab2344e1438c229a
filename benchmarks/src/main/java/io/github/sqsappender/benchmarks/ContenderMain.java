package io.github.sqsappender.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.github.sqsappender.core.SqsAppenderMetrics;
import org.apache.logging.log4j.LogManager;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one contender in its own JVM and prints one {@code RESULT} line (JSON). Arguments:
 * {@code CONTENDER QUEUE_URL EVENTS BODY_BYTES THREADS}. Every contender sends the same bodies
 * (realistic log lines of about {@code BODY_BYTES}, see {@link Bodies}) from {@code THREADS}
 * application threads.
 */
public final class ContenderMain {

    private static final AtomicLong APP_THREAD_CPU_NANOS = new AtomicLong();
    private static final AtomicLong APP_THREAD_SWITCHES = new AtomicLong();
    private static final AtomicLong APP_THREAD_VOLUNTARY_SWITCHES = new AtomicLong();

    private ContenderMain() {
    }

    public static void main(String[] args) throws Exception {
        String contender = args[0];
        String queueUrl = args[1];
        int events = Integer.parseInt(args[2]);
        int bodyBytes = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        System.setProperty("aws.accessKeyId", "bench");
        System.setProperty("aws.secretAccessKey", "bench");
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("bench.queueUrl", queueUrl);

        Run run = switch (contender) {
            case "naive" -> new Naive(queueUrl);
            case "seed-batcher" -> new SeedBatcher(queueUrl);
            case "sdk-batch-manager" -> new SdkBatchManager(queueUrl);
            case "raw-limit" -> new RawLimit(queueUrl, Integer.parseInt(System.getProperty("bench.rawConcurrency", "32")));
            case "ours-log4j2" -> new OursLog4j2();
            case "ours-logback" -> new OursLogback();
            case "ours-log4j2-crt" -> withHttpClient(new OursLog4j2(), "crt");
            case "ours-log4j2-apache" -> withHttpClient(new OursLog4j2(), "apache");
            case "ours-log4j2-packed" -> packed(new OursLog4j2(), "none");
            case "ours-log4j2-packed-crt" -> withHttpClient(packed(new OursLog4j2(), "none"), "crt");
            case "ours-log4j2-packed-apache" -> withHttpClient(packed(new OursLog4j2(), "none"), "apache");
            case "ours-logback-packed" -> packed(new OursLogback(), "none");
            case "ours-log4j2-packed-gzip" -> packed(new OursLog4j2(), "gzip");
            case "ours-logback-packed-gzip" -> packed(new OursLogback(), "gzip");
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
        run.warmUp();
        awaitJitQuiet();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.util.Map<String, Double> jvmCpuStart = jvmThreadCpu();
        java.util.Map<Long, Long> javaThreadCpuStart = javaThreadCpu();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        AtomicLong next = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                    long seq;
                    while ((seq = next.getAndIncrement()) < events) {
                        run.log(Bodies.line(seq, bodyBytes, System.currentTimeMillis()));
                    }
                    APP_THREAD_CPU_NANOS.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                    APP_THREAD_SWITCHES.addAndGet(ownContextSwitches(""));
                    APP_THREAD_VOLUNTARY_SWITCHES.addAndGet(ownContextSwitches("voluntary_"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "app-" + t);
            workers.add(worker);
            worker.start();
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        long loggedNanos = System.nanoTime() - start;
        run.awaitAcknowledged();
        long wallNanos = System.nanoTime() - start;
        long cpuNanos = os.getProcessCpuTime() - cpuStart;
        double jitSeconds = jitCpuSeconds(jvmThreadCpu()) - jitCpuSeconds(jvmCpuStart);
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        long[] counts = run.requestsAndUnits();
        if (Boolean.getBoolean("bench.threadCpu")) {
            printCpuByThreadGroup(jvmCpuStart, javaThreadCpuStart);
        }
        run.close();
        System.out.printf("RESULT {\"contender\":\"%s\",\"events\":%d,\"bodyBytes\":%d,\"threads\":%d,"
                        + "\"loggedSeconds\":%.3f,\"wallSeconds\":%.3f,\"cpuSeconds\":%.3f,\"jitSeconds\":%.3f,\"requests\":%d,"
                        + "\"billedUnits\":%d,\"peakHeapBytes\":%d,\"dropped\":%d}%n",
                contender, events, bodyBytes, threads, loggedNanos / 1e9, wallNanos / 1e9, cpuNanos / 1e9, jitSeconds,
                counts[0], counts[1], peakHeap, run.dropped());
        System.exit(0);
    }

    /**
     * Waits until the JIT compilers have been idle for 300 ms (at most 10 s), so the measured
     * window does not inherit the compilation of the JVM's and the framework's start-up (class
     * loading, configuration, lambdas) — the same for every contender. What the run itself makes
     * hot is compiled inside the window and counted.
     */
    private static void awaitJitQuiet() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(50); // polling a counter that has no notification
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
        }
    }

    /** CPU nanoseconds so far of each live Java thread, by id. */
    private static java.util.Map<Long, Long> javaThreadCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> byId = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            byId.put(id, Math.max(0, threads.getThreadCpuTime(id)));
        }
        return byId;
    }

    /**
     * CPU seconds per thread group (names with digits folded) within the measured window, to see
     * where a contender spends: each thread's CPU less what it had spent when the window opened
     * (start-up, warm-up).
     */
    private static void printCpuByThreadGroup(java.util.Map<String, Double> jvmCpuStart,
            java.util.Map<Long, Long> javaThreadCpuStart) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Double> byGroup = new java.util.TreeMap<>();
        for (long id : threads.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id) - javaThreadCpuStart.getOrDefault(id, 0L);
            if (info != null && cpu > 0) {
                byGroup.merge(info.getThreadName().replaceAll("[0-9]+", "N"), cpu / 1e9, Double::sum);
            }
        }
        byGroup.put("app-N (all application threads)", APP_THREAD_CPU_NANOS.get() / 1e9);
        if (Boolean.getBoolean("bench.switches")) {
            byGroup.put("switches app-N (voluntary + involuntary)", (double) APP_THREAD_SWITCHES.get());
            byGroup.put("switches app-N voluntary", (double) APP_THREAD_VOLUNTARY_SWITCHES.get());
        }
        byGroup.forEach((group, seconds) -> System.err.printf("  cpu %-45s %6.2f s%n", group, seconds));
        jvmThreadCpu().forEach((group, seconds) -> System.err.printf("  cpu %-45s %6.2f s%n",
                group, seconds - jvmCpuStart.getOrDefault(group, 0.0)));
    }

    /** Of a {@link #jvmThreadCpu} reading, the JIT compiler threads' CPU seconds. */
    private static double jitCpuSeconds(java.util.Map<String, Double> byGroup) {
        double seconds = 0;
        for (java.util.Map.Entry<String, Double> group : byGroup.entrySet()) {
            if (group.getKey().contains("Compiler")) {
                seconds += group.getValue();
            }
        }
        return seconds;
    }

    /**
     * The calling thread's context switches so far (Linux) whose kind starts with {@code kind}
     * ({@code ""} for all, {@code "voluntary_"}), or 0 where it cannot tell.
     */
    private static long ownContextSwitches(String kind) {
        if (!Boolean.getBoolean("bench.switches")) {
            return 0;
        }
        long switches = 0;
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
                if (line.startsWith(kind) && line.contains("ctxt_switches")) {
                    switches += Long.parseLong(line.split(":")[1].trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return switches;
    }

    /**
     * CPU seconds so far of the JVM's own threads (JIT compilers, GC), which the management beans do
     * not list, by group: read from {@code /proc/self/task} where there is one (Linux), else empty.
     */
    private static java.util.Map<String, Double> jvmThreadCpu() {
        java.util.Map<String, Double> byGroup = new java.util.TreeMap<>();
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        if (!java.nio.file.Files.isDirectory(tasks)) {
            return byGroup;
        }
        try (java.util.stream.Stream<java.nio.file.Path> list = java.nio.file.Files.list(tasks)) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) list::iterator) {
                try {
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    String[] fields = stat.substring(close + 2).split(" ");
                    // utime and stime, the 14th and 15th fields of the line, in clock ticks of 1/100 s
                    double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
                    if (name.contains("Compiler") || name.contains("GC") || name.contains("G1")) {
                        byGroup.merge("jvm " + name.replaceAll("#[0-9]+", "#N"), seconds, Double::sum);
                    } else if (Boolean.getBoolean("bench.switches")) {
                        for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
                            if (line.contains("ctxt_switches")) {
                                byGroup.merge("switches " + name.replaceAll("[0-9]+", "N") + " " + line.split(":")[0],
                                        Double.parseDouble(line.split(":")[1].trim()), Double::sum);
                            }
                        }
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // a thread that ended while listing
                }
            }
        } catch (java.io.IOException e) {
            return byGroup;
        }
        return byGroup;
    }

    /** One way of getting log lines into SQS. */
    interface Run {
        /** A short warm-up before measuring: builds the client and loads the classes. */
        void warmUp() throws Exception;

        /** Called on application threads. */
        void log(String body) throws Exception;

        /** Returns once every logged event has been acknowledged by the queue. */
        void awaitAcknowledged() throws Exception;

        long[] requestsAndUnits();

        default long dropped() {
            return 0;
        }

        void close();
    }

    static SqsAsyncClient client(String queueUrl, RequestCounter counter) {
        URI url = URI.create(queueUrl);
        return SqsAsyncClient.builder()
                .endpointOverride(URI.create(url.getScheme() + "://" + url.getHost() + ":" + url.getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64))
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build();
    }

    /** A contender that talks to SQS through a client of its own, counted by {@link RequestCounter}. */
    abstract static class WithOwnClient implements Run {
        final RequestCounter counter = new RequestCounter();
        final String queueUrl;
        final SqsAsyncClient client;

        WithOwnClient(String queueUrl) {
            this.queueUrl = queueUrl;
            this.client = client(queueUrl, counter);
        }

        @Override public void warmUp() throws Exception {
            client.getQueueAttributes(b -> b.queueUrl(queueUrl)).join();
        }

        @Override public long[] requestsAndUnits() {
            return new long[] {counter.requests.get(), counter.billedUnits.get()};
        }

        @Override public void close() {
            client.close();
        }
    }

    /** One SendMessage per event, on the logging thread. */
    static final class Naive extends WithOwnClient {
        Naive(String queueUrl) {
            super(queueUrl);
        }

        @Override public void log(String body) {
            client.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body).build()).join();
        }

        @Override public void awaitAcknowledged() {
        }


    }

    /** The hand-written batcher users describe: one thread, batches of 10, flush after a timeout, synchronous sends. */
    static final class SeedBatcher extends WithOwnClient {
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(10_000);
        final Thread sender;
        volatile boolean done;

        SeedBatcher(String queueUrl) {
            super(queueUrl);
            this.sender = new Thread(this::loop, "seed-batcher");
        }

        private void loop() {
            List<String> batch = new ArrayList<>(10);
            try {
                while (!done || !queue.isEmpty()) {
                    String first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                    while (batch.size() < 10) {
                        String next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                        batch.add(next);
                    }
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(batch.get(i)).build());
                    }
                    client.sendMessageBatch(SendMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build()).join();
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override public void warmUp() throws Exception {
            super.warmUp();
            sender.start();
        }

        @Override public void log(String body) throws InterruptedException {
            queue.put(body);
        }

        @Override public void awaitAcknowledged() throws InterruptedException {
            done = true;
            sender.join();
        }


    }

    /** The AWS SDK's own SqsAsyncBatchManager with its defaults. */
    static final class SdkBatchManager extends WithOwnClient {
        final SqsAsyncBatchManager manager;
        final Semaphore outstanding = new Semaphore(20_000);
        final List<CompletableFuture<?>> futures = java.util.Collections.synchronizedList(new ArrayList<>());

        SdkBatchManager(String queueUrl) {
            super(queueUrl);
            this.manager = client.batchManager();
        }


        @Override public void log(String body) throws InterruptedException {
            outstanding.acquire(); // bounded, like every other contender's buffer
            futures.add(manager.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body))
                    .whenComplete((r, e) -> outstanding.release()));
        }

        @Override public void awaitAcknowledged() {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
        }


        @Override public void close() {
            manager.close();
            super.close();
        }
    }

    /**
     * The client-side ceiling: application threads only hand pre-formatted bodies over; batches of
     * 10 are built and sent with {@code concurrency} requests in flight, nothing else.
     */
    static final class RawLimit extends WithOwnClient {
        final Semaphore inFlight;
        final List<String> pending = new ArrayList<>(10);
        final List<CompletableFuture<?>> futures = new ArrayList<>();

        RawLimit(String queueUrl, int concurrency) {
            super(queueUrl);
            this.inFlight = new Semaphore(concurrency);
        }


        @Override public synchronized void log(String body) throws InterruptedException {
            pending.add(body);
            if (pending.size() == 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
                for (int i = 0; i < 10; i++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(pending.get(i)).build());
                }
                pending.clear();
                inFlight.acquire();
                futures.add(client.sendMessageBatch(SendMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build())
                        .whenComplete((r, e) -> inFlight.release()));
            }
        }

        @Override public void awaitAcknowledged() {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
        }


    }

    /** Configures {@code ours} (through its bench XML) to pack events, with or without gzip. */
    private static Ours withHttpClient(Ours ours, String httpClient) {
        System.setProperty("bench.httpClient", httpClient);
        return ours;
    }

    private static Ours packed(Ours ours, String compression) {
        System.setProperty("bench.packing", "ndjson");
        System.setProperty("bench.compression", compression);
        return ours;
    }

    /** Our appender in either framework: the measuring around it is the same. */
    abstract static class Ours implements Run {
        long requestsBefore;
        long unitsBefore;

        /** Loads the framework's bench configuration. */
        abstract void configure() throws Exception;

        abstract SqsAppenderMetrics metrics();

        abstract boolean flush(long timeoutMillis);

        @Override public void warmUp() throws Exception {
            configure();
            log(System.currentTimeMillis() + "|warm-up");
            flush(60_000);
            requestsBefore = metrics().getBatchRequests();
            unitsBefore = metrics().getBilledRequestUnits();
        }

        @Override public void awaitAcknowledged() {
            if (!flush(600_000)) {
                throw new IllegalStateException("not everything was delivered: " + metrics().getEventsDropped());
            }
        }

        @Override public long[] requestsAndUnits() {
            return new long[] {metrics().getBatchRequests() - requestsBefore, metrics().getBilledRequestUnits() - unitsBefore};
        }

        @Override public long dropped() {
            return metrics().getEventsDropped();
        }
    }

    /** Our Log4j2 appender, configured from bench-log4j2.xml, through real logging calls. */
    static final class OursLog4j2 extends Ours {
        org.apache.logging.log4j.core.LoggerContext context;
        org.apache.logging.log4j.Logger logger;
        io.github.sqsappender.log4j2.SqsAppender appender;

        @Override void configure() throws Exception {
            context = (org.apache.logging.log4j.core.LoggerContext) LogManager.getContext(false);
            context.setConfigLocation(ContenderMain.class.getResource("/bench-log4j2.xml").toURI());
            logger = context.getLogger("bench.App");
            appender = context.getConfiguration().getAppender("SQS");
        }

        @Override public void log(String body) {
            logger.info(body);
        }

        @Override SqsAppenderMetrics metrics() {
            return appender.getMetrics();
        }

        @Override boolean flush(long timeoutMillis) {
            return appender.flush(timeoutMillis);
        }

        @Override public void close() {
            LogManager.shutdown(context);
        }
    }

    /** Our Logback appender, configured from bench-logback.xml, through real SLF4J calls. */
    static final class OursLogback extends Ours {
        ch.qos.logback.classic.LoggerContext context;
        org.slf4j.Logger logger;
        io.github.sqsappender.logback.SqsAppender appender;

        @Override void configure() throws Exception {
            context = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
            context.reset();
            ch.qos.logback.classic.joran.JoranConfigurator configurator = new ch.qos.logback.classic.joran.JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(ContenderMain.class.getResource("/bench-logback.xml"));
            logger = LoggerFactory.getLogger("bench.App");
            appender = (io.github.sqsappender.logback.SqsAppender) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("SQS");
        }

        @Override public void log(String body) {
            logger.info(body);
        }

        @Override SqsAppenderMetrics metrics() {
            return appender.getMetrics();
        }

        @Override boolean flush(long timeoutMillis) {
            return appender.flush(timeoutMillis);
        }

        @Override public void close() {
            context.stop();
        }
    }
}
