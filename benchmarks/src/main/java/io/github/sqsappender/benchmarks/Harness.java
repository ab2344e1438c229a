package io.github.sqsappender.benchmarks;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end harness: starts ElasticMQ in a JVM of its own, then runs each contender in a
 * fresh JVM against its own queue with the same events, verifies the queue holds every event,
 * samples latency from SQS's SentTimestamp, and prints/writes the results.
 *
 * <pre>
 * benchmarks/run-e2e.sh [--scale 1.0] [--bodies 200,2048] [--threads 8] [--contenders a,b,...] [--out benchmarks/results]
 *                       [--strict-characters false]
 * </pre>
 */
public final class Harness {

    /**
     * Events per contender at scale 1, for 200-byte bodies: each runs for at least ~20 s on the
     * 2-core reference machine, so that the JIT's one-time compilation of the hot path (3–4
     * CPU-seconds, whatever the count) weighs little in a per-event figure. Packed contenders get
     * fewer events for larger bodies ({@link #eventsFor}): what they move is bytes.
     */
    static final Map<String, Integer> BASE_EVENTS = new LinkedHashMap<>();

    static {
        BASE_EVENTS.put("naive", 4_000);
        BASE_EVENTS.put("seed-batcher", 8_000);
        BASE_EVENTS.put("sdk-batch-manager", 100_000); // at 30,000 it ran 30-40% fewer events/s than at 100,000
        BASE_EVENTS.put("raw-limit", 100_000);
        BASE_EVENTS.put("ours-log4j2", 100_000);
        BASE_EVENTS.put("ours-logback", 100_000);
        BASE_EVENTS.put("ours-log4j2-crt", 100_000);
        BASE_EVENTS.put("ours-log4j2-apache", 100_000);
        BASE_EVENTS.put("ours-log4j2-packed", 2_500_000);
        BASE_EVENTS.put("ours-log4j2-packed-crt", 2_500_000);
        BASE_EVENTS.put("ours-log4j2-packed-apache", 2_500_000);
        BASE_EVENTS.put("ours-logback-packed", 2_500_000);
        BASE_EVENTS.put("ours-log4j2-packed-gzip", 2_500_000);
        BASE_EVENTS.put("ours-logback-packed-gzip", 2_500_000);
    }

    /**
     * The events {@code contender} logs with bodies of {@code bodyBytes} at {@code scale}: its base
     * count, and for a packed contender with bodies over 200 bytes, the same bytes in fewer events.
     */
    static int eventsFor(String contender, int bodyBytes, double scale) {
        double events = BASE_EVENTS.get(contender) * scale;
        if (contender.contains("-packed") && bodyBytes > 200) {
            events = events * 200 / bodyBytes;
        }
        return Math.max(100, (int) events);
    }

    /**
     * Every contender but the HTTP-client variants ({@code -crt}, {@code -apache}), which run only
     * when named: they compare our own clients, not us against the others.
     */
    static List<String> defaultContenders() {
        List<String> names = new ArrayList<>();
        for (String name : BASE_EVENTS.keySet()) {
            if (!name.endsWith("-crt") && !name.endsWith("-apache")) {
                names.add(name);
            }
        }
        return names;
    }

    /** Unpacked queues are drained (for the drain figure) up to this many events: enough for a rate. */
    static final int UNPACKED_DRAIN_SAMPLE = 5_000;

    /** One measured contender. */
    public record Row(String contender, int bodyBytes, int events, double wallSeconds, double loggedSeconds,
                      double cpuSeconds, double jitSeconds, long requests, long billedUnits, long peakHeapBytes, long p50Millis,
                      long p99Millis, long received, boolean valid, long messages, double drainEventsPerSecond) {
        double eventsPerSecond() {
            return events / wallSeconds;
        }

        double cpuMillisPer10k() {
            return cpuSeconds * 1000 / events * 10_000;
        }

        /** Of {@link #cpuMillisPer10k}, what the JIT compiler threads spent in the measured window. */
        double jitMillisPer10k() {
            return jitSeconds * 1000 / events * 10_000;
        }

        /** Billed request units per million events. */
        double unitsPerMillion() {
            return billedUnits * 1e6 / events;
        }
    }

    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        double scale = Double.parseDouble(a.getOrDefault("scale", "1.0"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "8"));
        List<Integer> bodies = Arrays.stream(a.getOrDefault("bodies", "200,2048").split(",")).map(Integer::parseInt).toList();
        List<String> contenders = a.containsKey("contenders") ? List.of(a.get("contenders").split(","))
                : defaultContenders();
        Path out = Path.of(a.getOrDefault("out", "benchmarks/results"));
        if (Boolean.parseBoolean(a.getOrDefault("strict-characters", "false"))) {
            System.setProperty(ElasticMqServerMain.STRICT_CHARACTERS, "true");
        }
        List<Row> rows = run(contenders, bodies, scale, threads, out);
        boolean allValid = rows.stream().allMatch(Row::valid);
        System.exit(allValid ? 0 : 1);
    }

    /** Runs everything and writes {@code out/e2e-latest.json}, a timestamped copy, and the chart. */
    public static List<Row> run(List<String> contenders, List<Integer> bodies, double scale, int threads, Path out)
            throws Exception {
        return run(contenders, bodies, scale, threads, out, List.of());
    }

    /**
     * As {@link #run(List, List, double, int, Path)}, with {@code jvmArgs} added to every JVM it
     * starts (the smoke test runs them without C2: correctness, not speed, is what it checks).
     */
    static List<Row> run(List<String> contenders, List<Integer> bodies, double scale, int threads, Path out,
                         List<String> jvmArgs) throws Exception {
        Files.createDirectories(out);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String classpath = System.getProperty("java.class.path");
        List<String> serverCommand = new ArrayList<>(List.of(java(), "-Xmx3g")); // a packed run's queue holds ~600 MB
        serverCommand.addAll(jvmArgs);
        if (Boolean.getBoolean(ElasticMqServerMain.STRICT_CHARACTERS)) {
            serverCommand.add("-D" + ElasticMqServerMain.STRICT_CHARACTERS + "=true");
        }
        serverCommand.addAll(List.of("-cp", classpath, ElasticMqServerMain.class.getName(), Integer.toString(port)));
        Process server = new ProcessBuilder(serverCommand).redirectErrorStream(true).start();
        List<Row> rows = new ArrayList<>();
        try (OutputStream keepAlive = server.getOutputStream()) {
            awaitLine(server, "READY");
            String endpoint = "http://127.0.0.1:" + port;
            try (SqsAsyncClient admin = SqsAsyncClient.builder().endpointOverride(URI.create(endpoint))
                    .region(Region.US_EAST_1).httpClientBuilder(NettyNioAsyncHttpClient.builder())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                    .build()) {
                System.out.printf("machine: %d cores, %s %s; ElasticMQ in its own JVM at %s, %s%n",
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                        System.getProperty("java.version"), endpoint,
                        Boolean.getBoolean(ElasticMqServerMain.STRICT_CHARACTERS) ? "checking every body character"
                                : "without its per-character check of bodies");
                for (int body : bodies) {
                    for (String contender : contenders) {
                        int events = eventsFor(contender, body, scale);
                        Row row = runOne(admin, classpath, contender, events, body, threads, jvmArgs);
                        rows.add(row);
                        System.out.println(format(row));
                    }
                }
            }
            keepAlive.close();
        } finally {
            server.destroy();
        }
        printTable(rows);
        String json = toJson(rows, threads);
        Files.writeString(out.resolve("e2e-latest.json"), json);
        Files.writeString(out.resolve("e2e-" + Instant.now().toString().replace(":", "-") + ".json"), json);
        chart(rows, out.resolve("e2e-latest.png"));
        return rows;
    }

    private static Row runOne(SqsAsyncClient admin, String classpath, String contender, int events, int body, int threads,
                              List<String> jvmArgs) throws Exception {
        String queueName = "bench-" + contender + "-" + body;
        String queueUrl = admin.createQueue(b -> b.queueName(queueName)).join().queueUrl();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", classpath, ContenderMain.class.getName(),
                contender, queueUrl, Integer.toString(events), Integer.toString(body), Integer.toString(threads)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                } else if (output.size() < 40) {
                    output.add(line);
                }
            }
        }
        p.waitFor();
        if (result == null) {
            System.out.println("  " + contender + " failed:\n    " + String.join("\n    ", output));
            admin.deleteQueue(b -> b.queueUrl(queueUrl)).join();
            return new Row(contender, body, events, 1, 1, 0, 0, 0, 0, 0, -1, -1, 0, false, 0, 0);
        }
        long expected = events + (contender.startsWith("ours-") ? 1 : 0); // ours logs one warm-up event
        long messages = Long.parseLong(admin.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).join()
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        long received;
        long[] latency;
        Drain drain;
        if (contender.contains("-packed")) {
            // Every event decoded: the verification and the drain figure. It stops at the count
            // expected; only when events are missing does it wait out the idle time.
            drain = drain(admin, queueUrl, expected);
            received = drain.events;
            latency = drain.latency();
        } else {
            received = messages;
            latency = sampleLatency(admin, queueUrl, 2_000);
            drain = contender.startsWith("ours-") ? drain(admin, queueUrl, Math.min(UNPACKED_DRAIN_SAMPLE, expected)) : null;
        }
        admin.deleteQueue(b -> b.queueUrl(queueUrl)).join();
        return new Row(contender, body, events, number(result, "wallSeconds"), number(result, "loggedSeconds"),
                number(result, "cpuSeconds"), number(result, "jitSeconds"), (long) number(result, "requests"), (long) number(result, "billedUnits"),
                (long) number(result, "peakHeapBytes"), latency[0], latency[1], received,
                received == expected && number(result, "dropped") == 0, messages,
                drain == null ? 0 : drain.eventsPerSecond);
    }

    /** What draining a queue with {@code tail} (4 receivers, decoding packs) measured. */
    private static final class Drain {
        long events;
        double eventsPerSecond;
        final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());

        long[] latency() {
            List<Long> sorted = new ArrayList<>(latencies);
            if (sorted.isEmpty()) {
                return new long[] {-1, -1};
            }
            sorted.sort(null);
            return new long[] {sorted.get(sorted.size() / 2),
                    sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1))};
        }
    }

    /** Drains {@code queueUrl} with the real {@code tail} consumer until {@code events} events arrived or it stays idle. */
    private static Drain drain(SqsAsyncClient admin, String queueUrl, long events) throws InterruptedException {
        Drain drain = new Drain();
        try (io.github.sqsappender.samples.Tail tail = new io.github.sqsappender.samples.Tail(admin, queueUrl, 4, true, 1)) {
            io.github.sqsappender.samples.Tail.Result result = tail.run(events, java.time.Duration.ofSeconds(2), (m, decoded, at) -> {
                String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
                for (int i = 0; i < decoded.size() && drain.latencies.size() < 20_000; i += Math.max(1, decoded.size() / 20)) {
                    String e = decoded.get(i);
                    int bar = e.indexOf('|');
                    if (bar > 0 && sent != null) {
                        drain.latencies.add(Long.parseLong(sent) - Long.parseLong(e.substring(0, bar)));
                    }
                }
            }, null);
            drain.events = result.events();
            // The rate while messages flowed: a final idle wait (events missing) is not part of it.
            double seconds = Math.max(0.001, result.elapsed().toNanos() / 1e9 - (result.events() < events ? 2 : 0));
            drain.eventsPerSecond = result.events() / seconds;
        }
        return drain;
    }

    /** p50/p99 of (SentTimestamp − time of the logging call) over a sample of received messages. */
    private static long[] sampleLatency(SqsAsyncClient admin, String queueUrl, int sample) {
        List<Long> latencies = new ArrayList<>();
        int emptyReceives = 0;
        while (latencies.size() < sample && emptyReceives < 3) {
            List<Message> messages = admin.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)
                    .visibilityTimeout(0)).join().messages();
            if (messages.isEmpty()) {
                emptyReceives++;
            }
            for (Message m : messages) {
                int bar = m.body().indexOf('|');
                String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
                if (bar > 0 && sent != null) {
                    latencies.add(Long.parseLong(sent) - Long.parseLong(m.body().substring(0, bar)));
                }
            }
        }
        if (latencies.isEmpty()) {
            return new long[] {-1, -1};
        }
        latencies.sort(null);
        return new long[] {latencies.get(latencies.size() / 2), latencies.get((int) Math.min(latencies.size() - 1,
                Math.ceil(latencies.size() * 0.99) - 1))};
    }

    static String format(Row r) {
        return String.format(Locale.ROOT, "  %-26s %5d B  %8d ev  %8.0f ev/s  %8.1f ms CPU/10k ev (JIT %.1f)  %7d req  %7d units  "
                        + "p50 %6d ms  p99 %6d ms  heap %4d MiB  %s",
                r.contender(), r.bodyBytes(), r.events(), r.eventsPerSecond(), r.cpuMillisPer10k(), r.jitMillisPer10k(),
                r.requests(), r.billedUnits(), r.p50Millis(), r.p99Millis(), r.peakHeapBytes() / (1024 * 1024),
                r.valid() ? "verified" : "INVALID (received " + r.received() + ")");
    }

    private static void printTable(List<Row> rows) {
        System.out.println();
        System.out.println("| contender | body | events | events/s | CPU ms / 10k events | of which JIT | requests | SQS messages | billed units | units / 1M events | p50 ms | p99 ms | peak heap MiB | tail drain events/s | verified |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d B | %,d | %,.0f | %,.1f | %,.1f | %,d | %,d | %,d | %,.0f | %d | %d | %d | %s | %s |%n",
                    r.contender(), r.bodyBytes(), r.events(), r.eventsPerSecond(), r.cpuMillisPer10k(), r.jitMillisPer10k(), r.requests(),
                    r.messages(), r.billedUnits(), r.unitsPerMillion(), r.p50Millis(), r.p99Millis(),
                    r.peakHeapBytes() / (1024 * 1024), r.drainEventsPerSecond() > 0
                            ? String.format(Locale.ROOT, "%,.0f", r.drainEventsPerSecond()) : "—", r.valid() ? "yes" : "NO");
        }
    }

    private static String toJson(List<Row> rows, int threads) {
        StringBuilder sb = new StringBuilder("{\"machine\":{\"cores\":").append(Runtime.getRuntime().availableProcessors())
                .append(",\"java\":\"").append(System.getProperty("java.version")).append("\",\"threads\":").append(threads)
                .append(",\"serverChecksCharacters\":").append(Boolean.getBoolean(ElasticMqServerMain.STRICT_CHARACTERS))
                .append("},\"rows\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"contender\":\"%s\",\"bodyBytes\":%d,\"events\":%d,\"eventsPerSecond\":%.1f,\"cpuMillisPer10kEvents\":%.1f,\"jitMillisPer10kEvents\":%.1f,"
                            + "\"requests\":%d,\"billedUnits\":%d,\"p50Millis\":%d,\"p99Millis\":%d,\"peakHeapBytes\":%d,"
                            + "\"wallSeconds\":%.3f,\"loggedSeconds\":%.3f,\"cpuSeconds\":%.3f,\"received\":%d,\"valid\":%s,"
                            + "\"messages\":%d,\"unitsPerMillionEvents\":%.1f,\"drainEventsPerSecond\":%.1f}",
                    r.contender(), r.bodyBytes(), r.events(), r.eventsPerSecond(), r.cpuMillisPer10k(), r.jitMillisPer10k(),
                    r.requests(), r.billedUnits(), r.p50Millis(), r.p99Millis(), r.peakHeapBytes(), r.wallSeconds(), r.loggedSeconds(),
                    r.cpuSeconds(), r.received(), r.valid(), r.messages(), r.unitsPerMillion(), r.drainEventsPerSecond()));
        }
        return sb.append("]}\n").toString();
    }

    private static void chart(List<Row> rows, Path png) throws IOException {
        List<Integer> bodies = rows.stream().map(Row::bodyBytes).distinct().toList();
        List<String> contenders = rows.stream().map(Row::contender).distinct().toList();
        CategoryChart throughput = new CategoryChartBuilder().width(900).height(420)
                .title("Delivered events/s (higher is better)").yAxisTitle("events/s").build();
        CategoryChart cpu = new CategoryChartBuilder().width(900).height(420)
                .title("Client CPU ms per 10,000 events (lower is better)").yAxisTitle("CPU ms").build();
        for (int body : bodies) {
            List<Double> rates = new ArrayList<>();
            List<Double> cpus = new ArrayList<>();
            for (String c : contenders) {
                Row r = rows.stream().filter(x -> x.contender().equals(c) && x.bodyBytes() == body).findFirst().orElseThrow();
                rates.add(r.valid() ? r.eventsPerSecond() : 0);
                cpus.add(r.valid() ? r.cpuMillisPer10k() : 0);
            }
            throughput.addSeries(body + " B bodies", contenders, rates);
            cpu.addSeries(body + " B bodies", contenders, cpus);
        }
        throughput.getStyler().setXAxisLabelRotation(15);
        cpu.getStyler().setXAxisLabelRotation(15);
        BitmapEncoder.saveBitmap(List.of(throughput, cpu), 2, 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException(field + " missing in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    static void awaitLine(Process process, String expected) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.contains(expected)) {
                Thread drain = new Thread(() -> {
                    try {
                        while (reader.readLine() != null) {
                            // keep the server's output pipe from filling up
                        }
                    } catch (IOException ignored) {
                        // server gone
                    }
                }, "server-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IllegalStateException("ElasticMQ server did not start");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            map.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return map;
    }
}
