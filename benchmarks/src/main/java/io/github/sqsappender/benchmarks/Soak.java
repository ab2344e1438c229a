package io.github.sqsappender.benchmarks;

import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.log4j2.SqsAppender;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A long run through real faults: the Log4j2 appender (from a real XML file, packing on) ships a
 * paced stream of realistic lines to ElasticMQ in its own JVM, whose consumer keeps the queue
 * drained; between them, in that JVM too, a TCP relay (connection resets) and the fault proxy
 * (outage, throttling), so what this JVM measures is the application's alone.
 * Each period gets one fault, in turn: an outage for the whole period, throttling of every
 * request for the whole period, connection resets every 5 seconds; the first period runs clean.
 * At the end of every period it samples heap after GC, threads, open file descriptors, buffer
 * depth and the accounting, then heals the fault.
 *
 * <p>Run it with {@code benchmarks/run-soak.sh --minutes 10}; a 60-second version runs in the test
 * suite ({@code SoakTest}).
 */
public final class Soak {

    /** How the run is shaped. {@code rate} 0 means: half the rate measured in a calibration burst. */
    public record Options(int seconds, int periodSeconds, int rate, int producers, long maxBufferBytes, Path out) {
    }

    /**
     * One sample, taken at the end of a period, before its fault is healed; or, as {@code settled},
     * once the producers have stopped and the buffer has drained (what a leak would show in).
     */
    public record Sample(int period, String fault, long appended, long sent, long dropped, long buffered,
                         long heapMiB, int threads, long fds) {
        long unaccounted() {
            return appended - sent - dropped - buffered;
        }
    }

    /** What the run measured. */
    public record Result(int rate, int maxRate, int periodSeconds, List<Sample> samples, Sample settled,
                         long baselineHeapMiB, long appended, long sent,
                         long dropped, String dropsByReason, long drainedEvents, long drainedDistinct,
                         long maxBufferBytes, long settledLiveEvents) {
        /** After the stop: every event delivered or counted as dropped, exactly. */
        public boolean exact() {
            return appended == sent + dropped;
        }

        /** Heap after GC at the end of the outage periods, the highest. */
        public long outageHeapMiB() {
            return samples.stream().filter(s -> s.fault().equals("outage")).mapToLong(Sample::heapMiB).max().orElse(0);
        }
    }

    static final String QUEUE = "soak";
    private static final String PREFIX = "soak-";

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Harness.parse(args);
        int seconds = (int) (Double.parseDouble(a.getOrDefault("minutes", "10")) * 60);
        Options options = new Options(seconds, Integer.parseInt(a.getOrDefault("period", "60")),
                Integer.parseInt(a.getOrDefault("rate", "0")), Integer.parseInt(a.getOrDefault("producers", "2")),
                33_554_432L, Path.of(a.getOrDefault("out", "benchmarks/results")));
        Result r = run(options);
        System.out.println(markdown(r));
        System.exit(r.exact() ? 0 : 1);
    }

    /** The sequence number a soak event starts with. */
    static int sequenceOf(String event) {
        return Integer.parseInt(event.substring(PREFIX.length(), event.indexOf(' ')));
    }

    public static Result run(Options o) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process server = new ProcessBuilder(Harness.java(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                SoakServerMain.class.getName(), Integer.toString(port), QUEUE).redirectErrorStream(true).start();
        BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        try (OutputStream control = server.getOutputStream()) {
            // The fault proxy and the TCP relay run in the server's JVM, so this JVM's heap, threads
            // and file descriptors are the application's alone.
            String url = awaitReady(serverOut);
            Faults faults = new Faults(control, serverOut);
            LoggerContext ctx = Configurator.initialize("soak", null, writeConfig(url, o).toUri());
            try {
                Result result = soak(ctx, o, faults);
                control.close();
                long[] drained = awaitDrained(serverOut);
                result = new Result(result.rate(), result.maxRate(), o.periodSeconds(), result.samples(), result.settled(),
                        result.baselineHeapMiB(), result.appended(), result.sent(), result.dropped(), result.dropsByReason(),
                        drained[1], drained[2], o.maxBufferBytes(), result.settledLiveEvents());
                write(result, o.out());
                return result;
            } finally {
                Configurator.shutdown(ctx);
            }
        } finally {
            server.destroy();
        }
    }

    /** The server JVM's fault controls: one command per line on its standard input, acknowledged with {@code OK}. */
    private record Faults(OutputStream control, BufferedReader replies) {
        void command(String name) throws IOException {
            control.write((name + "\n").getBytes(StandardCharsets.UTF_8));
            control.flush();
            String line;
            while ((line = replies.readLine()) != null) {
                if (line.equals("OK " + name)) {
                    return;
                }
            }
            throw new IllegalStateException("the soak server ended before acknowledging " + name);
        }
    }

    private static Result soak(LoggerContext ctx, Options o, Faults control) throws Exception {
        SqsAppender appender = ctx.getConfiguration().getAppender("SQS");
        SqsAppenderMetrics m = appender.getMetrics();
        Logger logger = ctx.getLogger("com.example.soak.Service");
        AtomicLong sequence = new AtomicLong();

        int maxRate = o.rate() > 0 ? 0 : calibrate(logger, sequence, appender, o.producers());
        int rate = o.rate() > 0 ? o.rate() : Math.max(1_000, maxRate / 2);
        long baselineHeap = heapAfterGcMiB();
        System.out.printf("soak: %d s in periods of %d s at %,d events/s (max measured %,d events/s), %d producers; "
                + "baseline heap %d MiB, %d threads, %d fds%n", o.seconds(), o.periodSeconds(), rate, maxRate,
                o.producers(), baselineHeap, threads(), fds());

        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> producers = startProducers(logger, sequence, rate, o.producers(), running);
        List<Sample> samples = new ArrayList<>();
        String[] faults = {"outage", "throttling", "resets"};
        int periods = Math.max(1, o.seconds() / o.periodSeconds());
        long start = System.nanoTime();
        for (int p = 0; p < periods; p++) {
            String fault = p == 0 ? "none" : faults[(p - 1) % faults.length];
            if (!fault.equals("none") && !fault.equals("resets")) {
                control.command(fault);
            }
            long periodEnd = start + (p + 1) * o.periodSeconds() * 1_000_000_000L;
            long nextReset = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() - periodEnd < 0) {
                if (fault.equals("resets") && System.nanoTime() - nextReset >= 0) {
                    control.command("reset");
                    nextReset += 5_000_000_000L;
                }
                LockSupport.parkNanos(Math.min(periodEnd, nextReset) - System.nanoTime());
            }
            Sample s = new Sample(p + 1, fault, m.getEventsAppended(), m.getEventsSent(), m.getEventsDropped(),
                    m.getBufferedEvents(), heapAfterGcMiB(), threads(), fds());
            samples.add(s);
            System.out.println(row(s));
            if (Boolean.getBoolean("soak.histogram")) {
                System.out.println(histogram(4) + "\n" + nettyPools());
            }
            control.command("heal");
        }
        running.set(false);
        for (Thread producer : producers) {
            producer.join();
        }
        appender.flush(120_000);
        // Taken here, not at the end of the last period: there the buffer may still hold the
        // backlog the throttling period left, which is load, not a leak.
        Sample settled = new Sample(periods + 1, "settled", m.getEventsAppended(), m.getEventsSent(), m.getEventsDropped(),
                m.getBufferedEvents(), heapAfterGcMiB(), threads(), fds());
        System.out.println(row(settled));
        // The pipeline's own events still alive once it has drained (after a GC): what a leak of
        // ours would be, whatever the SDK's HTTP client keeps in its connection pool.
        long liveEvents = liveInstances("io.github.sqsappender.core.internal.IntakeEvent");
        if (Boolean.getBoolean("soak.histogram")) {
            System.out.println(histogram(12) + "\n" + nettyPools());
        }
        appender.stop(); // the final accounting is taken after a real stop
        String drops = String.format(Locale.ROOT, "overflow %d, undeliverable %d, shutdown %d, oversize %d, empty %d",
                m.getEventsDroppedOverflow(), m.getEventsDroppedUndeliverable(), m.getEventsDroppedShutdown(),
                m.getEventsDroppedOversize(), m.getEventsDroppedEmpty());
        return new Result(rate, maxRate, o.periodSeconds(), samples, settled, baselineHeap, m.getEventsAppended(), m.getEventsSent(),
                m.getEventsDropped(), drops, 0, 0, o.maxBufferBytes(), liveEvents);
    }

    /** Logs as fast as the producers can for 5 s and returns the delivered rate, events/s. */
    private static int calibrate(Logger logger, AtomicLong sequence, SqsAppender appender, int producers) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = startProducers(logger, sequence, 0, producers, running);
        // The burst measures the send path, not how soon the client is ready: it starts once the
        // first events are acknowledged (the client built and the queue looked up), at most 60 s in.
        long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (appender.getMetrics().getEventsSent() == 0 && System.nanoTime() < readyBy) {
            Thread.sleep(10); // polling a counter that has no notification
        }
        Thread.sleep(1_000); // warm-up, not a synchronisation: the burst runs for fixed wall time
        long sentBefore = appender.getMetrics().getEventsSent();
        long t0 = System.nanoTime();
        Thread.sleep(5_000);
        long sent = appender.getMetrics().getEventsSent() - sentBefore;
        long nanos = System.nanoTime() - t0;
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        appender.flush(60_000);
        return (int) (sent * 1e9 / nanos);
    }

    /** Producers paced to {@code rate} events/s together ({@code 0}: as fast as they can). */
    private static List<Thread> startProducers(Logger logger, AtomicLong sequence, int rate, int count, AtomicBoolean running) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            Thread producer = new Thread(() -> {
                double perNano = rate / 1e9 / count;
                long start = System.nanoTime();
                long logged = 0;
                while (running.get()) {
                    long due = rate == 0 ? logged + 1_000 : (long) ((System.nanoTime() - start) * perNano);
                    while (logged < due) {
                        long seq = sequence.getAndIncrement();
                        logger.info(PREFIX + seq + " " + Bodies.line(seq, 200, System.currentTimeMillis()));
                        logged++;
                    }
                    if (rate > 0) {
                        LockSupport.parkNanos(1_000_000L);
                    }
                }
            }, "soak-producer-" + t);
            threads.add(producer);
            producer.start();
        }
        return threads;
    }

    private static Path writeConfig(String url, Options o) throws IOException {
        Path file = Files.createTempFile("soak-log4j2-", ".xml");
        Files.writeString(file, """
                <Configuration status="WARN">
                  <Appenders>
                    <Sqs name="SQS" queueUrl="%s" packing="ndjson" lingerMs="200" maxBufferBytes="%d" jmx="false">
                      <PatternLayout pattern="%%m"/>
                    </Sqs>
                  </Appenders>
                  <Loggers>
                    <Root level="INFO"><AppenderRef ref="SQS"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(url, o.maxBufferBytes()), StandardCharsets.UTF_8);
        return file;
    }

    private static String awaitReady(BufferedReader serverOut) throws IOException {
        String line;
        while ((line = serverOut.readLine()) != null) {
            if (line.startsWith("READY ")) {
                return line.substring("READY ".length()).trim();
            }
        }
        throw new IllegalStateException("the soak server did not start");
    }

    private static long[] awaitDrained(BufferedReader serverOut) throws IOException {
        String line;
        while ((line = serverOut.readLine()) != null) {
            if (line.startsWith("DRAINED ")) {
                String[] f = line.split(" ");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
            }
        }
        throw new IllegalStateException("the soak server ended without its drain report");
    }

    /** The live-object class histogram's first {@code lines} lines (what holds the heap), via the diagnostic MBean. */
    static String histogram(int lines) {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.join("\n", java.util.Arrays.asList(String.valueOf(text).split("\n")).subList(0, lines));
        } catch (Exception e) {
            return "no histogram: " + e;
        }
    }

    /** Live instances of {@code className} after a full GC (the class histogram), 0 if none. */
    static long liveInstances(String className) {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            for (String line : String.valueOf(text).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[3].equals(className)) {
                    return Long.parseLong(f[1]);
                }
            }
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException("no class histogram: " + e, e);
        }
    }

    /** What Netty's pooled allocator holds (a cache the SDK's HTTP client fills under load). */
    static String nettyPools() {
        io.netty.buffer.PooledByteBufAllocatorMetric m = io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric();
        return String.format(Locale.ROOT, "netty pooled: heap %d KiB, direct %d KiB, %d heap arenas, chunk %d KiB",
                m.usedHeapMemory() >> 10, m.usedDirectMemory() >> 10, m.numHeapArenas(), m.chunkSize() >> 10);
    }

    static long heapAfterGcMiB() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    /**
     * Live threads of the application side, without the fault infrastructure that shares this JVM
     * (the relay's pumps and the proxy's handlers come and go with connections) and without the
     * producers (they end before the settled sample).
     */
    static int threads() {
        int count = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && !name.startsWith("tcp-relay") && !name.startsWith("fault-proxy")
                    && !name.startsWith("HTTP-Dispatcher") && !name.startsWith("HttpClient")
                    && !name.startsWith("soak-producer")) { // the load itself: gone in the settled sample
                count++;
            }
        }
        return count;
    }

    static long fds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    private static String row(Sample s) {
        return String.format(Locale.ROOT, "| %d | %s | %,d | %,d | %,d | %,d | %d | %d | %d | %d |", s.period(), s.fault(),
                s.appended(), s.sent(), s.dropped(), s.buffered(), s.unaccounted(), s.heapMiB(), s.threads(), s.fds());
    }

    /** The run as a markdown table with its summary. */
    public static String markdown(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Rate %,d events/s (%s), %d s periods, baseline heap after GC %d MiB.%n%n",
                r.rate(), r.maxRate() > 0 ? String.format(Locale.ROOT, "half of %,d measured", r.maxRate()) : "fixed",
                r.periodSeconds(), r.baselineHeapMiB()));
        sb.append("| period | fault | appended | sent | dropped | buffered | unaccounted (in transit) | heap after GC MiB | threads | fds |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Sample s : r.samples()) {
            sb.append(row(s)).append('\n');
        }
        sb.append(row(r.settled())).append('\n');
        sb.append(String.format(Locale.ROOT, "%nAfter the stop: appended %,d = sent %,d + dropped %,d (%s): %s. "
                        + "The consumer drained %,d events, %,d distinct. Highest heap after GC at the end of an outage: %d MiB "
                        + "(maxBufferBytes %d MiB + 16 MiB = %d MiB).%n", r.appended(), r.sent(), r.dropped(), r.dropsByReason(),
                r.exact() ? "exact" : "NOT EXACT", r.drainedEvents(), r.drainedDistinct(), r.outageHeapMiB(),
                r.maxBufferBytes() >> 20, (r.maxBufferBytes() >> 20) + 16));
        return sb.toString();
    }

    private static void write(Result r, Path out) throws IOException {
        Files.createDirectories(out);
        String md = markdown(r);
        Files.writeString(out.resolve("soak-latest.md"), md);
        Files.writeString(out.resolve("soak-" + Instant.now().toString().replace(":", "-") + ".md"), md);
    }
}
