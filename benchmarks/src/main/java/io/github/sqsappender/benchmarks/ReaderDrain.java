package io.github.sqsappender.benchmarks;

import io.github.sqsappender.core.text.JsonRecord;
import io.github.sqsappender.reader.LogMessageReader;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The consumer's cost: nanoseconds per event that {@link LogMessageReader} decodes, on packs of
 * realistic lines ({@link Bodies}): gzip'ed packs of 4,000 records and plain packs of up to 250 kB.
 * One thread; six rounds of 200 packs each, the last ones warm.
 *
 * <p>{@code java -cp <benchmarks class path> io.github.sqsappender.benchmarks.ReaderDrain [bodyBytes]}
 */
public final class ReaderDrain {

    private ReaderDrain() {
    }

    public static void main(String[] args) throws Exception {
        int bytes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        List<String> gzipped = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 4_000; i++) {
                if (i > 0) {
                    text.append('\n');
                }
                JsonRecord.append(text, Bodies.line(p * 4_000L + i, bytes, 1_765_000_000_000L));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(text.toString().getBytes(StandardCharsets.UTF_8));
            }
            gzipped.add(Base64.getEncoder().encodeToString(out.toByteArray()));
            int cut = text.lastIndexOf("\n", Math.min(text.length(), 250_000));
            plain.add(text.substring(0, cut < 0 ? text.length() : cut));
        }
        Map<String, String> gzip = Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip,base64");
        Map<String, String> ndjson = Map.of("Content-Type", "application/x-ndjson");
        for (int round = 1; round <= 6; round++) {
            System.out.printf("round %d: gzip'ed packs %.0f ns/event, plain packs %.0f ns/event%n", round,
                    nanosPerEvent(gzipped, gzip), nanosPerEvent(plain, ndjson));
        }
    }

    private static double nanosPerEvent(List<String> bodies, Map<String, String> attributes) {
        long start = System.nanoTime();
        long events = 0;
        for (int repeat = 0; repeat < 10; repeat++) {
            for (String body : bodies) {
                events += LogMessageReader.events("m", body, attributes).size();
            }
        }
        return (System.nanoTime() - start) / (double) events;
    }
}
