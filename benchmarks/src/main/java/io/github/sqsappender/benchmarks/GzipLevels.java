package io.github.sqsappender.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.Deflater;

/**
 * The compression level of a gzip'ed pack, measured: for each {@code java.util.zip} level 1–6, the
 * CPU time per event and the ratio on the benchmarks' realistic log lines ({@link Bodies}), packed
 * as the appender packs them (JSON-string records joined by line breaks, one gzip member, base64),
 * in packs that fill a 256 KiB message. Single-threaded, on the calling thread.
 *
 * <p>{@code java -cp "benchmarks/target/classes:$(cat CLASSPATH_FILE)" io.github.sqsappender.benchmarks.GzipLevels [BODY_BYTES] [SECONDS_PER_LEVEL]}
 */
public final class GzipLevels {

    private GzipLevels() {
    }

    public static void main(String[] args) {
        int bodyBytes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        String[] lines = new String[65_536];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "\"" + Bodies.line(i, bodyBytes, 1_700_000_000_000L + i).replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n").replace("\t", "\\t") + "\"";
        }
        System.out.printf("%d-byte lines, packs of up to 256 KiB base64 (gzip member of JSON-string records)%n", bodyBytes);
        System.out.println("| level | ratio (raw / gzip) | events per 256 KiB message | ns per event (gzip + base64) | MiB/s of raw text |");
        System.out.println("|---|---|---|---|---|");
        for (int level = 1; level <= 6; level++) {
            measure(level, lines, seconds, false); // warm-up
            measure(level, lines, seconds, true);
        }
    }

    private static void measure(int level, String[] lines, double seconds, boolean print) {
        int limit = 262_144;
        // Find how many lines fill a message at this level (as the appender's ratio learning converges).
        int perPack = 1_000;
        for (int round = 0; round < 6; round++) {
            int size = encode(level, lines, 0, perPack).length();
            perPack = Math.max(1, (int) (perPack * 0.97 * limit / size));
        }
        long rawBytes = 0;
        long encodedBytes = 0;
        long events = 0;
        int offset = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            String text = encode(level, lines, offset, perPack);
            encodedBytes += text.length();
            for (int i = 0; i < perPack; i++) {
                rawBytes += lines[(offset + i) & (lines.length - 1)].length() + 1;
            }
            events += perPack;
            offset = (offset + perPack) & (lines.length - 1);
        }
        long nanos = System.nanoTime() - start;
        double ratio = rawBytes / (encodedBytes * 0.75);
        if (print) {
            System.out.printf("| %d | %.1f | %,d | %.0f | %.0f |%n", level, ratio, perPack, (double) nanos / events,
                    rawBytes / (nanos / 1e9) / (1 << 20));
        }
    }

    private static String encode(int level, String[] lines, int offset, int count) {
        StringBuilder sb = new StringBuilder(count * 220);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(lines[(offset + i) & (lines.length - 1)]);
        }
        byte[] raw = sb.toString().getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(level, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4);
        try (java.util.zip.DeflaterOutputStream gzip = new GzipStream(out, deflater)) {
            gzip.write(raw);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** A GZIPOutputStream whose deflater (and so level) is ours. */
    private static final class GzipStream extends java.util.zip.DeflaterOutputStream {
        private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();

        GzipStream(java.io.OutputStream out, Deflater deflater) throws java.io.IOException {
            super(out, deflater, 8192);
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            super.write(b, off, len);
            crc.update(b, off, len);
        }

        @Override
        public void finish() throws java.io.IOException {
            super.finish();
            long c = crc.getValue();
            long n = def.getBytesRead();
            out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)});
        }
    }
}
