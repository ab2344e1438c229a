package io.github.sqsappender.reader;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates one gzip member of NDJSON records into its text (header, CRC-32 and length checked;
 * nothing may follow the member), refusing it as soon as it is past
 * what the appender writes ({@link #MAX_INFLATED_BYTES}, {@link #MAX_RECORDS}): a gzip bomb (a body
 * of kilobytes that inflates to gigabytes, or to millions of tiny records) is refused before it
 * takes more memory than a pack at those limits, which decodes within a 128 MiB heap. The
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
    /**
     * Text beyond Latin-1 larger than this is decoded chunk by chunk ({@link #utf8Streamed}); below
     * it the one-array path's transient copies are small, and it is the faster one.
     */
    static final int STREAMED_DECODE_BYTES = 4 * 1024 * 1024;

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
     * @throws CorruptMessageException if it is not exactly one gzip member, not UTF-8, or past either limit
     */
    static String text(String id, byte[] gzipped, String what, boolean endsWithBreak) {
        return text(id, gzipped, what, endsWithBreak, MAX_INFLATED_BYTES);
    }

    /**
     * As {@link #text(String, byte[], String, boolean)}, refusing a stream that inflates past
     * {@code maxInflatedBytes} (at most a little under 2 GiB, what one array holds).
     */
    static String text(String id, byte[] gzipped, String what, boolean endsWithBreak, int maxInflatedBytes) {
        int deflateStart = afterHeader(id, gzipped, what);
        List<byte[]> chunks = new ArrayList<>();
        int total = 0;
        long lineBreaks = 0;
        long continuations = 0; // UTF-8 bytes 10xxxxxx: no UTF-16 unit of their own
        long fourByteLeads = 0; // 11110xxx: two UTF-16 units
        // Small bodies (the common case) take one small chunk; larger ones grow to 256 KiB chunks.
        int next = (int) Math.min(CHUNK_BYTES, Math.max(8 * 1024, gzipped.length * 8L));
        Inflater inflater = new Inflater(true);
        CRC32 crc = new CRC32();
        try {
            inflater.setInput(gzipped, deflateStart, gzipped.length - deflateStart);
            while (!inflater.finished()) {
                // At the limit this chunk is one byte: a stream that ends there fills none of it.
                byte[] chunk = new byte[(int) Math.min(next, maxInflatedBytes + 1L - total)];
                next = Math.min(CHUNK_BYTES, next * 2);
                int filled = 0;
                while (filled < chunk.length && !inflater.finished()) {
                    int n = inflater.inflate(chunk, filled, chunk.length - filled);
                    if (n == 0 && !inflater.finished()) { // all the input was given: it needs more than there is
                        throw notGzip(id, what, inflater.needsDictionary() ? "it needs a preset dictionary"
                                : "it ends inside its compressed data");
                    }
                    filled += n;
                }
                crc.update(chunk, 0, filled);
                for (int i = 0; i < filled; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        lineBreaks++;
                    } else if (b < 0) {
                        if ((b & 0xc0) == 0x80) {
                            continuations++;
                        } else if ((b & 0xf8) == 0xf0) {
                            fourByteLeads++;
                        }
                    }
                }
                total += filled;
                if (total > maxInflatedBytes) {
                    throw tooLarge(id, maxInflatedBytes);
                }
                // Records so far: a packed body's last one has no line break yet (it may be partial).
                if (lineBreaks + (endsWithBreak ? 0 : 1) > MAX_RECORDS) {
                    throw new CorruptMessageException(id, "the gzip stream holds more than " + MAX_RECORDS
                            + " records: refused as a gzip bomb", null);
                }
                chunks.add(chunk);
            }
            checkTrailer(id, gzipped, what, gzipped.length - inflater.getRemaining(), crc, total);
        } catch (DataFormatException e) {
            throw new CorruptMessageException(id, what + " is not a gzip stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        if (chunks.size() == 1) {
            return utf8(id, chunks.get(0), total);
        }
        if (continuations > 0 && total > STREAMED_DECODE_BYTES) {
            return utf8Streamed(id, chunks, total, total - continuations + fourByteLeads);
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

    /**
     * Where the compressed data starts, after a gzip member's header (RFC 1952, 2.3): magic, method
     * deflate, no reserved flag, then the optional extra field, name, comment and header CRC.
     */
    static int afterHeader(String id, byte[] b, String what) {
        if (b.length < 10 || (b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b) {
            throw notGzip(id, what, "it does not start with gzip's magic bytes");
        }
        if (b[2] != 8) {
            throw notGzip(id, what, "its compression method is " + (b[2] & 0xff) + ", not deflate (8)");
        }
        int flags = b[3] & 0xff;
        if ((flags & 0xe0) != 0) {
            throw notGzip(id, what, "its header sets reserved flags");
        }
        int p = 10;
        if ((flags & 4) != 0) { // FEXTRA
            p = p + 2 > b.length ? b.length + 1 : p + 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
        }
        if ((flags & 8) != 0) { // FNAME, zero-terminated
            p = afterZero(b, p);
        }
        if ((flags & 16) != 0) { // FCOMMENT, zero-terminated
            p = afterZero(b, p);
        }
        if ((flags & 2) != 0) { // FHCRC: the low 16 bits of the header's CRC-32
            if (p + 2 > b.length) {
                throw notGzip(id, what, "it ends inside its header");
            }
            CRC32 crc = new CRC32();
            crc.update(b, 0, p);
            if (((b[p] & 0xff) | (b[p + 1] & 0xff) << 8) != (int) (crc.getValue() & 0xffff)) {
                throw notGzip(id, what, "its header CRC does not match");
            }
            p += 2;
        }
        if (p > b.length) {
            throw notGzip(id, what, "it ends inside its header");
        }
        return p;
    }

    private static int afterZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i + 1;
            }
        }
        return b.length + 1;
    }

    /**
     * The member's trailer (CRC-32 and length of the text, little-endian) must match, and nothing
     * may follow it: the appender writes one gzip member, and a reader that took a second one (or
     * trailing bytes) would return records nobody packed.
     */
    private static void checkTrailer(String id, byte[] b, String what, int at, CRC32 crc, int total) {
        if (b.length - at < 8) {
            throw notGzip(id, what, "it ends inside its trailer");
        }
        if (intLe(b, at) != (int) crc.getValue()) {
            throw notGzip(id, what, "its CRC-32 does not match its text");
        }
        if (intLe(b, at + 4) != total) {
            throw notGzip(id, what, "its length field does not match its text");
        }
        if (b.length - at > 8) {
            throw new CorruptMessageException(id, what + " holds " + (b.length - at - 8)
                    + " bytes after its gzip member: a packed body or fallback object is one gzip member", null);
        }
    }

    private static int intLe(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static CorruptMessageException notGzip(String id, String what, String why) {
        return new CorruptMessageException(id, what + " is not a gzip stream: " + why, null);
    }

    private static CorruptMessageException tooLarge(String id, int maxInflatedBytes) {
        return new CorruptMessageException(id, "the gzip stream inflates past " + maxInflatedBytes + " bytes"
                + (maxInflatedBytes == MAX_INFLATED_BYTES ? " (a pack holds at most 16 MiB of records)" : "")
                + ": refused as a gzip bomb", null);
    }

    /**
     * Large text beyond Latin-1 decoded chunk by chunk into an array of exactly its UTF-16 length:
     * the one-array path would hold the bytes, the JDK's decoding buffer of twice their length and
     * its trimmed copy at once (83 MiB at both limits), all of them humongous objects in a small
     * heap; this holds the chunks, released as they are read, the chars and the text (64 MiB).
     *
     * @param utf16Length the text's length in chars, exact when the bytes are well-formed UTF-8
     */
    private static String utf8Streamed(String id, List<byte[]> chunks, int total, long utf16Length) {
        char[] chars = new char[(int) utf16Length];
        int n = 0;
        try (java.io.Reader reader = new java.io.InputStreamReader(new ChunksInputStream(chunks, total),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT))) {
            for (int r; n < chars.length && (r = reader.read(chars, n, chars.length - n)) > 0; ) {
                n += r;
            }
            if (n != chars.length || reader.read() >= 0) {
                throw new CorruptMessageException(id, "the gzip'ed text is not UTF-8", null);
            }
        } catch (java.io.IOException e) { // MalformedInputException: the strict decoder's report
            throw new CorruptMessageException(id, "the gzip'ed text is not UTF-8", e);
        }
        return new String(chars);
    }

    /** The chunks as one stream, each chunk released once read. Single use, one thread. */
    private static final class ChunksInputStream extends java.io.InputStream {
        private final List<byte[]> chunks;
        private int remaining;
        private int index;
        private int position;

        ChunksInputStream(List<byte[]> chunks, int total) {
            this.chunks = chunks;
            this.remaining = total;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            byte[] chunk = chunks.get(index);
            int n = Math.min(length, Math.min(remaining, chunk.length - position));
            System.arraycopy(chunk, position, into, offset, n);
            position += n;
            remaining -= n;
            if (position == chunk.length) {
                chunks.set(index++, null);
                position = 0;
            }
            return n;
        }
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
