package io.github.sqsappender.reader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Inflates one gzip stream of NDJSON records into its text, refusing it as soon as it is past
 * what the appender writes ({@link #MAX_INFLATED_BYTES}, {@link #MAX_RECORDS}): a gzip bomb (a body
 * of kilobytes that inflates to gigabytes, or to millions of tiny records) is refused before it
 * takes more memory than a pack at those limits, which decodes in well under 128 MiB of heap. The
 * text is gathered in chunks, so a refused stream never needs an array larger than what it has
 * inflated. Stateless; any thread.
 */
final class BoundedGunzip {

    /**
     * The most text one gzip'ed body may inflate to: the appender gathers at most 16 MiB of records
     * into one gzip'ed pack, and about 8 MiB into a fallback object.
     */
    static final int MAX_INFLATED_BYTES = 17 * 1024 * 1024;
    /**
     * The most records one packed body may hold. A decoded record costs about 50 bytes of heap
     * besides its text however short it is, so this bounds what a body of tiny records takes. A pack
     * holds at most the events the appender's buffer holds: with the default {@code maxBufferBytes}
     * (32 MiB, each event counted with a 112-byte overhead) under 300,000.
     */
    static final int MAX_RECORDS = 512 * 1024;

    // Under half of G1's smallest region (1 MiB), so no chunk is a humongous object in a small heap.
    private static final int CHUNK_BYTES = 256 * 1024;

    private BoundedGunzip() {
    }

    /**
     * The UTF-8 text of one gzip stream of records.
     *
     * @param id            the message id or object key, named in any exception
     * @param gzipped       the stream
     * @param what          how the exception names the input ("the body", "the object")
     * @param endsWithBreak true when every record ends with a line break (a fallback object), false
     *                      when line breaks only separate them (a packed body)
     * @throws CorruptMessageException if it is not gzip, not UTF-8, or past either limit
     */
    static String text(String id, byte[] gzipped, String what, boolean endsWithBreak) {
        List<byte[]> chunks = new ArrayList<>();
        int total = 0;
        long lineBreaks = 0;
        // Small bodies (the common case) take one small chunk; larger ones grow to 256 KiB chunks.
        int next = (int) Math.min(CHUNK_BYTES, Math.max(8 * 1024, gzipped.length * 8L));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped), 64 * 1024)) {
            while (true) {
                byte[] chunk = new byte[(int) Math.min(next, MAX_INFLATED_BYTES + 1L - total)];
                next = Math.min(CHUNK_BYTES, next * 2);
                int filled = in.readNBytes(chunk, 0, chunk.length);
                for (int i = 0; i < filled; i++) {
                    if (chunk[i] == '\n') {
                        lineBreaks++;
                    }
                }
                total += filled;
                if (total > MAX_INFLATED_BYTES) {
                    throw tooLarge(id);
                }
                // Records so far: a packed body's last one has no line break yet (it may be partial).
                if (lineBreaks + (endsWithBreak ? 0 : 1) > MAX_RECORDS) {
                    throw new CorruptMessageException(id, "the gzip stream holds more than " + MAX_RECORDS
                            + " records: refused as a gzip bomb", null);
                }
                chunks.add(chunk);
                if (filled < chunk.length) {
                    break;
                }
                if (total == MAX_INFLATED_BYTES) {
                    if (in.read() >= 0) {
                        throw tooLarge(id);
                    }
                    break;
                }
            }
        } catch (IOException e) {
            throw new CorruptMessageException(id, what + " is not a gzip stream: " + e.getMessage(), e);
        }
        if (chunks.size() == 1) {
            return utf8(id, chunks.get(0), total);
        }
        byte[] bytes = new byte[total];
        int p = 0;
        for (byte[] chunk : chunks) {
            int n = Math.min(chunk.length, total - p);
            System.arraycopy(chunk, 0, bytes, p, n);
            p += n;
        }
        chunks.clear(); // the chunks go before the text is decoded: only the copy and the text coexist
        return utf8(id, bytes, total);
    }

    private static CorruptMessageException tooLarge(String id) {
        return new CorruptMessageException(id, "the gzip stream inflates past " + MAX_INFLATED_BYTES
                + " bytes (a pack holds at most 16 MiB of records): refused as a gzip bomb", null);
    }

    /** Strict UTF-8: the fast decoder, and the reporting one only if the fast one replaced something. */
    static String utf8(String id, byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text; // nothing was replaced, so every byte sequence was well-formed
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, 0, length));
            return text; // the text holds U+FFFD itself
        } catch (CharacterCodingException e) {
            throw new CorruptMessageException(id, "the gzip'ed text is not UTF-8", e);
        }
    }
}
