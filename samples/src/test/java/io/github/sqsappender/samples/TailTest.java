package io.github.sqsappender.samples;

import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The tail consumer against ElasticMQ on loopback. */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(120)
class TailTest {

    static EmbeddedSqs sqs;

    @BeforeAll
    static void start(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    static void fill(String url, int count) {
        for (int i = 0; i < count; i += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int j = i; j < Math.min(count, i + 10); j++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + j).messageBody("m-" + j).build());
            }
            sqs.client().sendMessageBatch(b -> b.queueUrl(url).entries(entries)).join();
        }
    }

    @Test
    void receivesEverythingWithSeveralReceiversDeletesItAndStopsWhenIdle() throws Exception {
        String url = sqs.createQueue("tail-all");
        fill(url, 2_000);
        Set<String> bodies = ConcurrentHashMap.newKeySet();
        try (Tail tail = new Tail(sqs.client(), url, 4, true, 1)) {
            Tail.Result result = tail.run(0, Duration.ofSeconds(2), (m, events, at) -> bodies.addAll(events), null);
            assertThat(result.received()).isEqualTo(2_000);
            assertThat(result.deleted()).isEqualTo(2_000);
            System.out.printf("[measure] tail drained %,d messages with 4 receivers at %,.0f msg/s (incl. %d s idle stop)%n",
                    result.received(), result.perSecond(), 2);
        }
        assertThat(bodies).hasSize(2_000);
        assertThat(sqs.approximateDepth(url)).isZero();
    }

    @Test
    void stopsAfterCountAndPeekLeavesMessagesInTheQueue() throws Exception {
        String url = sqs.createQueue("tail-count");
        fill(url, 50);
        try (Tail tail = new Tail(sqs.client(), url, 1, false, 1)) {
            Tail.Result result = tail.run(20, null, (m, events, at) -> { }, null);
            assertThat(result.received()).isBetween(20L, 29L); // one receive returns up to 10
            assertThat(result.deleted()).isZero();
        }
        assertThat(sqs.approximateDepth(url)).isEqualTo(50);
    }

    @Test
    void decodesPackedAndGzipMessagesIntoTheirEventsAndLeavesACorruptOneInTheQueue() throws Exception {
        String url = sqs.createQueue("tail-packed");
        java.util.Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> packed = java.util.Map.of(
                "Content-Type", text("application/x-ndjson"), "EventCount", number("3"));
        sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("\"a\"\n\"b with \\n newline\"\n\"c\"")
                .messageAttributes(packed)).join();
        String gzipped = gzipBase64("\"d\"\n\"e\"");
        sqs.client().sendMessage(b -> b.queueUrl(url).messageBody(gzipped)
                .messageAttributes(java.util.Map.of("Content-Type", text("application/x-ndjson"), "EventCount", number("2"),
                        "Content-Encoding", text("gzip,base64")))).join();
        sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("plain f")).join();
        sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("\"broken")
                .messageAttributes(java.util.Map.of("Content-Type", text("application/x-ndjson")))).join();
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Tail tail = new Tail(sqs.client(), url, 1, true, 1)) {
            Tail.Result result = tail.run(0, Duration.ofSeconds(2), (m, inMessage, at) -> events.addAll(inMessage), null);
            assertThat(result.received()).isEqualTo(4);
            assertThat(result.events()).isEqualTo(6);
            assertThat(result.corrupt()).isEqualTo(1);
            assertThat(result.deleted()).isEqualTo(3);
        }
        assertThat(events).containsExactlyInAnyOrder("a", "b with \n newline", "c", "d", "e", "plain f");
        assertThat(sqs.approximateDepth(url)).as("the undecodable message stays").isEqualTo(1);
    }

    @Test
    void itsStdoutHoldsOnlyTheEventsAsARunFromTheCommandLineWritesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String url = sqs.createQueue("tail-stdout");
        fill(url, 3);
        // The samples' own class path, as ./tail.sh runs it: the demo's logback.xml on it, no test resources.
        String classpath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        java.nio.file.Path out = dir.resolve("out");
        java.nio.file.Path err = dir.resolve("err");
        Process tail = new ProcessBuilder(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Tail.class.getName(), "--queue-url", url, "--idle", "1")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!tail.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            tail.destroyForcibly().waitFor();
            throw new AssertionError("tail did not end; stderr: " + java.nio.file.Files.readString(err));
        }
        assertThat(tail.exitValue()).as(java.nio.file.Files.readString(err)).isZero();
        assertThat(java.nio.file.Files.readAllLines(out)).containsExactlyInAnyOrder("m-0", "m-1", "m-2");
        assertThat(java.nio.file.Files.readString(err)).contains("tail: 3 events");
    }

    @Test
    void commandLineFollowsConventions() throws Exception {
        assertThat(Tail.run(new String[] {"--help"})).isZero();
        assertThat(Tail.run(new String[] {})).as("no queue").isEqualTo(2);
        assertThat(Tail.run(new String[] {"--queue-url"})).as("missing value").isEqualTo(2);
        assertThat(Tail.run(new String[] {"--queue-url", "http://127.0.0.1:1/q", "--bogus"})).isEqualTo(2);
        assertThat(Tail.run(new String[] {"--queue-url", "http://127.0.0.1:1/q", "--count", "many"})).isEqualTo(2);
        assertThat(Demo.run(new String[] {"--help"}, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))).isZero();
        assertThat(Demo.run(new String[] {"--events"}, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))).isEqualTo(2);
        assertThat(Demo.run(new String[] {"--frobnicate"}, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))
                .isEqualTo(2);
    }

    private static software.amazon.awssdk.services.sqs.model.MessageAttributeValue text(String v) {
        return software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }

    private static software.amazon.awssdk.services.sqs.model.MessageAttributeValue number(String v) {
        return software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("Number").stringValue(v).build();
    }

    private static String gzipBase64(String text) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return java.util.Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
