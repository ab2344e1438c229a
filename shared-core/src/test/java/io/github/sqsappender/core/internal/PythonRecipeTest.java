package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.text.JsonRecord;
import io.github.sqsappender.reader.LogMessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The Python consumer recipe of docs/packing.md, run as printed (Debian's {@code python3}, standard
 * library only) on packs the appender wrote: it reads every event as the Java reader does, and
 * reports a gzip bomb, a corrupt body and a non-string record as failed items without taking the
 * memory a bomb asks for.
 */
class PythonRecipeTest {

    private static final Path RECIPE_DOC = Path.of("..", "docs", "packing.md");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Bodies that exercise every escape a record may hold. */
    private static final List<String> TRICKY = List.of(
            "plain line",
            "",
            "quotes \" and backslash \\ and slash /",
            "line\nbreak, carriage\rreturn, tab\t, nul\u0000, del\u007f, next line\u0085",
            "separators \u2028 and \u2029 that splitlines() would split on",
            "accents é ü ñ, CJK 日本語, emoji \uD83D\uDE00 outside the BMP",
            "2026-12-06T21:30:00.000Z ERROR [worker-7] c.e.Job - failed\n\tat c.e.Job.run(Job.java:42)");

    private static String recipe() throws Exception {
        String doc = Files.readString(RECIPE_DOC);
        int section = doc.indexOf("## Reading packs: Python");
        int start = doc.indexOf("```python\n", section) + "```python\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    private static List<SqsSender.BatchEntry> packs(Map<String, String> attributes, List<String> bodies) {
        DispatcherHarness h = new DispatcherHarness(attributes);
        bodies.forEach(h::log);
        for (int i = 0; i < 20; i++) {
            h.step();
        }
        h.ticker.advanceMillis(1_000); // the last pack's linger
        for (int i = 0; i < 20; i++) {
            h.step();
        }
        return h.sender.batches().stream().flatMap(List::stream).toList();
    }

    /** A Lambda SQS record: {"messageId", "body", "messageAttributes": {name: {"stringValue", "dataType"}}}. */
    private static String lambdaRecord(String id, String body, Map<String, String> attributes) {
        StringBuilder json = new StringBuilder("{\"messageId\":");
        JsonRecord.append(json, id);
        json.append(",\"body\":");
        JsonRecord.append(json, body);
        json.append(",\"messageAttributes\":{");
        String comma = "";
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            json.append(comma);
            JsonRecord.append(json, a.getKey());
            json.append(":{\"stringValue\":");
            JsonRecord.append(json, a.getValue());
            json.append(",\"dataType\":\"String\"}");
            comma = ",";
        }
        return json.append("}}").toString();
    }

    private record Run(List<String> stdout, int exitCode) {
    }

    /**
     * Runs the recipe's {@code handler} on the records in {@code records}: per record, the events
     * it decoded as NDJSON (one line, {@code -} if it failed), then the peak memory in KiB.
     */
    private static Run runHandler(Path dir, List<String> records) throws Exception {
        Files.writeString(dir.resolve("recipe.py"), recipe());
        Files.write(dir.resolve("records.ndjson"), records);
        Files.writeString(dir.resolve("driver.py"), """
                import json, sys
                sys.path.insert(0, sys.argv[1])
                import recipe
                with open(sys.argv[2], encoding="utf-8") as f:
                    records = [json.loads(line) for line in f]
                for record in records:
                    captured = []
                    recipe.print = captured.append          # the recipe's processing prints each event
                    failed = recipe.handler({"Records": [record]}, None)["batchItemFailures"]
                    print("-" if failed else "\\n".join(json.dumps(e) for e in captured).replace("\\n", "\\u0001"))
                # The peak resident memory of this process since its exec (ru_maxrss would include the JVM's, which forked it).
                print(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")))
                """);
        Path stdout = dir.resolve("stdout.txt");
        Process process = new ProcessBuilder(PYTHON.toString(), dir.resolve("driver.py").toString(), dir.toString(),
                dir.resolve("records.ndjson").toString())
                .redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python3 did not end within 120 s");
        }
        return new Run(Files.readAllLines(stdout, StandardCharsets.UTF_8), process.exitValue());
    }

    /** The events of one printed line: NDJSON records joined by U+0001 (json.dumps escapes every line break). */
    private static List<String> printed(String line) {
        if (line.isEmpty()) {
            return List.of();
        }
        return LogMessageReader.events("printed", line.replace('\u0001', '\n'), Map.of("Content-Type", "application/x-ndjson"));
    }

    private static Map<String, String> attributes(SqsSender.BatchEntry entry) {
        return PackingTest.attributesOf(entry);
    }

    @Test
    void theRecipeReadsWhatTheAppenderPacksAsTheJavaReaderDoes(@TempDir Path dir) throws Exception {
        assumeThat(PYTHON).as("Debian's python3").exists();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            bodies.add(TRICKY.get(i % TRICKY.size()) + " #" + i);
        }
        List<SqsSender.BatchEntry> entries = new ArrayList<>();
        entries.addAll(packs(Map.of("packing", "ndjson", "maxPackBytes", "4096"), bodies));
        entries.addAll(packs(Map.of("packing", "ndjson", "compression", "gzip", "maxPackBytes", "4096"), bodies));
        entries.addAll(packs(Map.of(), bodies.subList(0, 10))); // unpacked: one event per message
        List<String> records = new ArrayList<>();
        for (SqsSender.BatchEntry e : entries) {
            records.add(lambdaRecord(e.id(), e.message().body(), attributes(e)));
        }

        Run run = runHandler(dir, records);

        assertThat(run.exitCode()).isZero();
        List<String> decodedByPython = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            SqsSender.BatchEntry e = entries.get(i);
            List<String> expected = LogMessageReader.events(e.id(), e.message().body(), attributes(e), true);
            assertThat(printed(run.stdout().get(i))).as("message %d", i).isEqualTo(expected);
            decodedByPython.addAll(printed(run.stdout().get(i)));
        }
        assertThat(decodedByPython).hasSize(bodies.size() * 2 + 10);
        assertThat(entries.stream().filter(e -> attributes(e).containsKey("Content-Encoding"))).hasSizeGreaterThan(1);
    }

    /** Gzip of {@code count} copies of {@code record}, then {@code last}, written as they go. */
    private static byte[] gzip(String record, long count, String last) throws Exception {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION); // a bomb's ratio, about 1,000:1
            }
        }) {
            for (long i = 0; i < count; i++) {
                gz.write(bytes);
            }
            gz.write(last.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void theRecipeFailsEveryUndecodableBodyAloneWithoutTakingABombsMemory(@TempDir Path dir) throws Exception {
        assumeThat(PYTHON).as("Debian's python3").exists();
        assumeThat(System.getProperty("os.name")).as("/proc/self/status").isEqualTo("Linux");
        Map<String, String> gzip = Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip,base64");
        Map<String, String> plain = Map.of("Content-Type", "application/x-ndjson");
        byte[] one = gzip("\"ok\"", 1, "");
        byte[] twoMembers = java.util.Arrays.copyOf(one, one.length * 2);
        System.arraycopy(one, 0, twoMembers, one.length, one.length);
        String record64k = "\"" + "a".repeat(64 * 1024 - 3) + "\"\n"; // valid records: only the size refuses them
        List<String> records = List.of(
                lambdaRecord("bomb", base64(gzip(record64k, 256 * 16, "\"end\"")), gzip), // 256 MiB
                lambdaRecord("tiny-records", base64(gzip("\"r\"\n", 600_000, "\"r\"")), gzip),
                lambdaRecord("truncated", base64(java.util.Arrays.copyOf(one, one.length - 4)), gzip),
                lambdaRecord("second-member", base64(twoMembers), gzip),
                lambdaRecord("not-base64", "!!!", gzip),
                lambdaRecord("not-a-string", "\"ok\"\n{\"a\":1}", plain),
                lambdaRecord("deeply-nested", "[".repeat(100_000), plain),
                lambdaRecord("count-mismatch", "\"a\"\n\"b\"", Map.of("Content-Type", "application/x-ndjson", "EventCount", "3")),
                lambdaRecord("unknown-encoding", base64(one), Map.of("Content-Encoding", "zstd,base64")),
                lambdaRecord("no-event-count", "\"a\"\n\"b\"", plain),
                lambdaRecord("good", "\"first\"\n\"second\"", Map.of("Content-Type", "application/x-ndjson", "EventCount", "2")),
                lambdaRecord("good-gzip", base64(one), Map.of("Content-Type", "application/x-ndjson",
                        "Content-Encoding", "gzip,base64", "EventCount", "1")),
                lambdaRecord("gzip-without-content-type", base64(one), Map.of("Content-Encoding", "gzip,base64")),
                lambdaRecord("media-type-with-parameters", "\"x\"\n\"y\"",
                        Map.of("Content-Type", "Application/X-NDJSON; charset=utf-8", "EventCount", "2")));

        Run run = runHandler(dir, records);

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).hasSize(records.size() + 1);
        for (int i = 0; i < 10; i++) {
            String line = run.stdout().get(i);
            assertThat("-".equals(line)).as("%s failed alone (printed %d characters instead)",
                    records.get(i).substring(0, 30), line.length()).isTrue();
        }
        assertThat(printed(run.stdout().get(10))).containsExactly("first", "second");
        assertThat(printed(run.stdout().get(11))).containsExactly("ok");
        assertThat(printed(run.stdout().get(12))).containsExactly("ok");
        assertThat(printed(run.stdout().get(13))).containsExactly("x", "y");
        long peakKib = Long.parseLong(run.stdout().get(14).trim());
        // Inflated whole, the bomb alone would take 256 MiB (and decode); bounded, at most 17 MiB.
        assertThat(peakKib).as("python3's peak memory, KiB").isLessThan(150 * 1024);
    }
}
