package io.github.sqsappender.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes the bodies of packs: the events' records joined by {@code \n} ({@link #text}), or one
 * standard gzip member (RFC 1952) of them, deflated at {@link PackEncoder#GZIP_LEVEL}, in standard
 * base64, padded, without line breaks ({@link #gzipBase64}) — what {@link PackEncoder#gunzipBase64}
 * and every reader decode.
 *
 * <p>Each record is written once, from the event's body, straight where it goes: into the text,
 * or into a small chunk that streams into the deflater, so a gzip'ed pack's text (up to megabytes
 * before compression) is never built as one array, and compressing stops as soon as the output is
 * past the room it must fit. The deflater and the buffers are reused from pack to pack: per pack,
 * in the common case, the only allocation is the body's {@code String}. A buffer kept between packs
 * is at most about the message limit ({@link #MAX_KEPT_BYTES} at most); {@link #close} releases the
 * deflater's native memory.
 *
 * <p>Not thread-safe: one thread at a time (the pack thread, which runs one job at a time).
 */
final class PackWriter {

    private static final int CHUNK_BYTES = 32 * 1024;
    /** A buffer larger than this after a pack is let go rather than kept (SQS's largest message is 1 MiB). */
    static final int MAX_KEPT_BYTES = 1024 * 1024 + CHUNK_BYTES;
    /** ID1 ID2, CM = deflate, no flags, no modification time, no extra flags, OS unknown (RFC 1952). */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int TRAILER_BYTES = 8;
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private Deflater deflater; // from the first gzip'ed pack on
    private final CRC32 crc = new CRC32();
    private byte[] chunk;
    private byte[] out = new byte[0]; // the text, or the gzip member
    private byte[] base64 = new byte[0];
    private int length;
    private int room; // the base64 chars the body may take; past it, compressing stops
    private long rawRead; // when it stopped: the raw bytes the deflater had taken

    /** The body of events {@code [from, to)}, which can be packed: their records joined by line breaks. */
    String text(List<IntakeEvent> events, int from, int to) {
        int bytes = (int) PackEncoder.textBytes(events, from, to);
        if (out.length < bytes) {
            out = new byte[Math.max(bytes, out.length + out.length / 2)];
        }
        int p = 0;
        for (int i = from; i < to; i++) {
            if (i > from) {
                out[p++] = '\n';
            }
            p = events.get(i).writeRecord(out, p);
        }
        String body = new String(out, 0, p, StandardCharsets.UTF_8);
        letGoOfLargeBuffers();
        return body;
    }

    /**
     * The body of events {@code [from, to)}, which can be packed, as one gzip member in base64; or
     * null as soon as it is clear that it would take more than {@code maxChars} (then
     * {@link #ratioSoFar} says how well it was compressing).
     */
    String gzipBase64(List<IntakeEvent> events, int from, int to, int maxChars) {
        String body = gzipBase64OrNull(events, from, to, maxChars);
        letGoOfLargeBuffers();
        return body;
    }

    /**
     * Raw bytes per base64 char of the last {@link #gzipBase64} that stopped early, as far as it
     * went; an estimate on the high side (the deflater holds some input it has not written yet).
     */
    double ratioSoFar() {
        return 3.0 * rawRead / (4.0 * Math.max(1, length - HEADER.length));
    }

    private String gzipBase64OrNull(List<IntakeEvent> events, int from, int to, int maxChars) {
        if (deflater == null) {
            deflater = new Deflater(PackEncoder.GZIP_LEVEL, true); // raw deflate: the gzip framing is ours
            chunk = new byte[CHUNK_BYTES];
        }
        deflater.reset();
        crc.reset();
        length = 0;
        room = maxChars;
        ensureRoom(HEADER.length);
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        length = HEADER.length;
        long raw = 0;
        int filled = 0;
        for (int i = from; i < to; i++) {
            if (i > from) {
                if (filled == CHUNK_BYTES) {
                    if (!deflate(chunk, filled)) {
                        return null;
                    }
                    filled = 0;
                }
                chunk[filled++] = '\n';
                raw++;
            }
            IntakeEvent event = events.get(i);
            int recordBytes = event.recordBytes();
            raw += recordBytes;
            if (recordBytes > CHUNK_BYTES - filled) {
                if (!deflate(chunk, filled)) { // in order: what the chunk holds comes before this record
                    return null;
                }
                filled = 0;
                if (recordBytes > CHUNK_BYTES) { // rare: a record larger than the chunk goes on its own
                    byte[] record = new byte[recordBytes];
                    event.writeRecord(record, 0);
                    if (!deflate(record, recordBytes)) {
                        return null;
                    }
                    continue;
                }
            }
            filled = event.writeRecord(chunk, filled);
        }
        if (!deflate(chunk, filled)) {
            return null;
        }
        deflater.finish();
        while (!deflater.finished()) {
            if (!drain()) {
                return null;
            }
        }
        ensureRoom(TRAILER_BYTES);
        littleEndian((int) crc.getValue());
        littleEndian((int) raw); // ISIZE: the input's length modulo 2^32
        return base64();
    }

    /**
     * Feeds {@code bytes[0, count)} to the deflater and takes what it writes, until it needs more
     * input; false once the output is past the room.
     */
    private boolean deflate(byte[] bytes, int count) {
        if (count == 0) {
            return true;
        }
        crc.update(bytes, 0, count);
        deflater.setInput(bytes, 0, count);
        while (!deflater.needsInput()) {
            if (!drain()) {
                return false;
            }
        }
        return true;
    }

    /** Takes what the deflater writes; false once the output, in base64, is past the room. */
    private boolean drain() {
        ensureRoom(CHUNK_BYTES / 4);
        length += deflater.deflate(out, length, out.length - length, Deflater.NO_FLUSH);
        if (4L * ((length + TRAILER_BYTES + 2) / 3) > room) {
            rawRead = deflater.getBytesRead();
            return false;
        }
        return true;
    }

    /** After a pack: a buffer a pack grew past what is worth keeping goes back to the collector. */
    private void letGoOfLargeBuffers() {
        if (out.length > MAX_KEPT_BYTES) {
            out = new byte[0];
        }
        if (base64.length > MAX_KEPT_BYTES) {
            base64 = new byte[0];
        }
    }

    /** The bytes of the buffers kept for the next pack; for tests. */
    int keptBytes() {
        return out.length + base64.length;
    }

    /** Releases the deflater's native memory; the writer is not used afterwards. Any thread, once no job runs on it. */
    void close() {
        if (deflater != null) {
            deflater.end();
        }
    }

    private void ensureRoom(int bytes) {
        if (out.length - length < bytes) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + bytes));
        }
    }

    private void littleEndian(int value) {
        for (int shift = 0; shift < 32; shift += 8) {
            out[length++] = (byte) (value >>> shift);
        }
    }

    /** Standard base64 of {@code out[0, length)}, padded. */
    private String base64() {
        int chars = 4 * ((length + 2) / 3);
        if (base64.length < chars) {
            base64 = new byte[Math.max(chars, base64.length + base64.length / 2)];
        }
        int p = 0;
        int whole = length - length % 3;
        for (int i = 0; i < whole; i += 3) {
            int bits = (out[i] & 0xff) << 16 | (out[i + 1] & 0xff) << 8 | (out[i + 2] & 0xff);
            base64[p++] = BASE64[bits >>> 18];
            base64[p++] = BASE64[(bits >>> 12) & 0x3f];
            base64[p++] = BASE64[(bits >>> 6) & 0x3f];
            base64[p++] = BASE64[bits & 0x3f];
        }
        if (whole < length) {
            int bits = (out[whole] & 0xff) << 16 | (whole + 1 < length ? (out[whole + 1] & 0xff) << 8 : 0);
            base64[p++] = BASE64[bits >>> 18];
            base64[p++] = BASE64[(bits >>> 12) & 0x3f];
            base64[p++] = whole + 1 < length ? BASE64[(bits >>> 6) & 0x3f] : (byte) '=';
            base64[p++] = '=';
        }
        return new String(base64, 0, p, StandardCharsets.ISO_8859_1);
    }
}
