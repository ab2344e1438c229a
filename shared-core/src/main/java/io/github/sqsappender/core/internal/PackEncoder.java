package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.text.JsonRecord;
import io.github.sqsappender.core.text.MessageAttribute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Writes packed message bodies and their attributes: records (see {@link JsonRecord}) in log
 * order joined by {@code \n}, no trailing newline; with gzip, standard base64 (padded, no line
 * breaks) of one gzip member of their UTF-8 bytes. Every packed message carries
 * {@code Content-Type: application/x-ndjson} and {@code EventCount}; a gzip'ed one also
 * {@code Content-Encoding: gzip,base64}. Unpacked messages never carry these, so a consumer can
 * tell the two apart. Stateless; any thread.
 */
final class PackEncoder {

    static final String CONTENT_TYPE = "Content-Type";
    static final String NDJSON = "application/x-ndjson";
    static final String EVENT_COUNT = "EventCount";
    static final String CONTENT_ENCODING = "Content-Encoding";
    static final String GZIP_BASE64 = "gzip,base64";
    /** The largest the pack attributes can be, besides the configured constant ones (any int EventCount). */
    static final int MAX_PACK_ATTRIBUTE_BYTES = new MessageAttribute(CONTENT_TYPE, "String", NDJSON).sizeBytes()
            + new MessageAttribute(EVENT_COUNT, "Number", Integer.toString(Integer.MAX_VALUE)).sizeBytes()
            + new MessageAttribute(CONTENT_ENCODING, "String", GZIP_BASE64).sizeBytes();

    /**
     * The most records one body of records holds, a pack or a fallback object, whatever their
     * size: readers refuse more than 524,288 as a gzip bomb.
     */
    static final int MAX_RECORDS = 500_000;

    private PackEncoder() {
    }

    /**
     * The records of {@code events} (which can be packed), joined by line breaks, in UTF-8, in an
     * array of their own; the pack thread writes them into a reused one ({@link PackWriter}).
     */
    static byte[] text(List<IntakeEvent> events, int from, int to) {
        byte[] joined = new byte[(int) textBytes(events, from, to)];
        int p = 0;
        for (int i = from; i < to; i++) {
            if (i > from) {
                joined[p++] = '\n';
            }
            p = events.get(i).writeRecord(joined, p);
        }
        return joined;
    }

    /** Length of {@link #text} for the same events, without building it. */
    static long textBytes(List<IntakeEvent> events, int from, int to) {
        long bytes = -1;
        for (int i = from; i < to; i++) {
            bytes += events.get(i).packedBytes();
        }
        return bytes;
    }

    /**
     * The deflate level of gzip'ed packs: 1 (fastest). Measured on realistic 200-byte log lines
     * ({@code GzipLevels} in the benchmarks): level 1 compresses 4.3:1 at 2.1 µs per event, level 6
     * (the JDK's default) 5.4:1 at 4.6 µs. The dispatcher thread is the one every event waits for,
     * while a 256 KiB message still holds about 4,000 events at level 1.
     */
    static final int GZIP_LEVEL = Deflater.BEST_SPEED;

    /** The text a gzip'ed pack's body holds ({@link PackWriter#gzipBase64}); for the fallback, which stores a pack's records. */
    static String gunzipBase64(String body) {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(Base64.getDecoder().decode(body)), 8192)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // our own encoding of an in-memory body: cannot fail
        }
    }

    /** The attributes of a pack of {@code count} events: the pack's own plus the configured constant ones. */
    static List<MessageAttribute> attributes(int count, boolean gzip, List<MessageAttribute> constant) {
        List<MessageAttribute> attributes = new ArrayList<>(3 + constant.size());
        attributes.add(new MessageAttribute(CONTENT_TYPE, "String", NDJSON));
        attributes.add(new MessageAttribute(EVENT_COUNT, "Number", Integer.toString(count)));
        if (gzip) {
            attributes.add(new MessageAttribute(CONTENT_ENCODING, "String", GZIP_BASE64));
        }
        attributes.addAll(constant);
        return attributes;
    }
}
