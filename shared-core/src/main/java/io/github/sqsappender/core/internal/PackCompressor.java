package io.github.sqsappender.core.internal;

import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes the body of a gzip'ed pack: one standard gzip member (RFC 1952) of the records joined by
 * {@code \n}, deflated at {@link PackEncoder#GZIP_LEVEL}, in standard base64 (padded, no line
 * breaks) — what {@link PackEncoder#gunzipBase64} and every reader decode.
 *
 * <p>The records stream into the deflater through a small chunk, so a pack's text (up to
 * megabytes before compression) is never built as one array, and the deflater and the output
 * buffers are reused from pack to pack: per pack, the only allocation is the body's {@code String}.
 * The buffers stay as large as the largest pack seen (about the message limit, twice); the
 * deflater's native memory is released when the compressor becomes unreachable.
 *
 * <p>Not thread-safe: one thread at a time (the compression thread, which runs one job at a time).
 */
final class PackCompressor {

    private static final int CHUNK_BYTES = 32 * 1024;
    /** ID1 ID2, CM = deflate, no flags, no modification time, no extra flags, OS unknown (RFC 1952). */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int TRAILER_BYTES = 8;
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Deflater deflater = new Deflater(PackEncoder.GZIP_LEVEL, true); // raw deflate: the gzip framing is ours
    private final CRC32 crc = new CRC32();
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private byte[] gzip = new byte[CHUNK_BYTES];
    private byte[] base64 = new byte[0];
    private int length;

    /**
     * The body of events {@code [from, to)}, held as records, as one gzip member in base64.
     */
    String encode(List<IntakeEvent> events, int from, int to) {
        deflater.reset();
        crc.reset();
        System.arraycopy(HEADER, 0, gzip, 0, HEADER.length);
        length = HEADER.length;
        long raw = 0;
        int filled = 0;
        for (int i = from; i < to; i++) {
            if (i > from) {
                if (filled == CHUNK_BYTES) {
                    deflate(chunk, filled);
                    filled = 0;
                }
                chunk[filled++] = '\n';
                raw++;
            }
            byte[] record = events.get(i).record();
            raw += record.length;
            if (record.length > CHUNK_BYTES - filled) {
                deflate(chunk, filled); // in order: what the chunk holds comes before this record
                filled = 0;
                if (record.length >= CHUNK_BYTES) {
                    deflate(record, record.length);
                    continue;
                }
            }
            System.arraycopy(record, 0, chunk, filled, record.length);
            filled += record.length;
        }
        deflate(chunk, filled);
        deflater.finish();
        while (!deflater.finished()) {
            drain();
        }
        ensureRoom(TRAILER_BYTES);
        littleEndian((int) crc.getValue());
        littleEndian((int) raw); // ISIZE: the input's length modulo 2^32
        return base64();
    }

    /** Feeds {@code bytes[0, count)} to the deflater and takes what it writes, until it needs more input. */
    private void deflate(byte[] bytes, int count) {
        if (count == 0) {
            return;
        }
        crc.update(bytes, 0, count);
        deflater.setInput(bytes, 0, count);
        while (!deflater.needsInput()) {
            drain();
        }
    }

    private void drain() {
        ensureRoom(CHUNK_BYTES / 4);
        length += deflater.deflate(gzip, length, gzip.length - length, Deflater.NO_FLUSH);
    }

    private void ensureRoom(int bytes) {
        if (gzip.length - length < bytes) {
            gzip = Arrays.copyOf(gzip, Math.max(gzip.length * 2, length + bytes));
        }
    }

    private void littleEndian(int value) {
        for (int shift = 0; shift < 32; shift += 8) {
            gzip[length++] = (byte) (value >>> shift);
        }
    }

    /** Standard base64 of {@code gzip[0, length)}, padded. */
    private String base64() {
        int chars = 4 * ((length + 2) / 3);
        if (base64.length < chars) {
            base64 = new byte[Math.max(chars, base64.length * 2)];
        }
        int p = 0;
        int whole = length - length % 3;
        for (int i = 0; i < whole; i += 3) {
            int bits = (gzip[i] & 0xff) << 16 | (gzip[i + 1] & 0xff) << 8 | (gzip[i + 2] & 0xff);
            base64[p++] = BASE64[bits >>> 18];
            base64[p++] = BASE64[(bits >>> 12) & 0x3f];
            base64[p++] = BASE64[(bits >>> 6) & 0x3f];
            base64[p++] = BASE64[bits & 0x3f];
        }
        if (whole < length) {
            int bits = (gzip[whole] & 0xff) << 16 | (whole + 1 < length ? (gzip[whole + 1] & 0xff) << 8 : 0);
            base64[p++] = BASE64[bits >>> 18];
            base64[p++] = BASE64[(bits >>> 12) & 0x3f];
            base64[p++] = whole + 1 < length ? BASE64[(bits >>> 6) & 0x3f] : (byte) '=';
            base64[p++] = '=';
        }
        return new String(base64, 0, p, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
