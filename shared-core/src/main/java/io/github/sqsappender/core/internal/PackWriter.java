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
 * before compression) is never built as one array. The deflater and the buffers are reused from
 * pack to pack: per pack, the only allocation is the body's {@code String}. The buffers stay as
 * large as the largest pack seen (about the message limit); the deflater's native memory is
 * released when the writer becomes unreachable.
 *
 * <p>Not thread-safe: one thread at a time (the pack thread, which runs one job at a time).
 */
final class PackWriter {

    private static final int CHUNK_BYTES = 32 * 1024;
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
        return new String(out, 0, p, StandardCharsets.UTF_8);
    }

    /** The body of events {@code [from, to)}, which can be packed, as one gzip member in base64. */
    String gzipBase64(List<IntakeEvent> events, int from, int to) {
        if (deflater == null) {
            deflater = new Deflater(PackEncoder.GZIP_LEVEL, true); // raw deflate: the gzip framing is ours
            chunk = new byte[CHUNK_BYTES];
        }
        deflater.reset();
        crc.reset();
        length = 0;
        ensureRoom(HEADER.length);
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
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
            IntakeEvent event = events.get(i);
            int recordBytes = event.recordBytes();
            raw += recordBytes;
            if (recordBytes > CHUNK_BYTES - filled) {
                deflate(chunk, filled); // in order: what the chunk holds comes before this record
                filled = 0;
                if (recordBytes > CHUNK_BYTES) { // rare: a record larger than the chunk goes on its own
                    byte[] record = new byte[recordBytes];
                    event.writeRecord(record, 0);
                    deflate(record, recordBytes);
                    continue;
                }
            }
            filled = event.writeRecord(chunk, filled);
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
        length += deflater.deflate(out, length, out.length - length, Deflater.NO_FLUSH);
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
