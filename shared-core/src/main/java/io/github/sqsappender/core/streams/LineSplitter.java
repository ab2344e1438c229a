package io.github.sqsappender.core.streams;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.function.Consumer;

/**
 * Cuts one writer's bytes into lines: a line ends at {@code \n}, and a {@code \r} just before it is
 * removed; bytes are decoded with the stream's charset, malformed input becoming U+FFFD; empty lines
 * are skipped; a line that reaches {@link #MAX_LINE_BYTES} without an end is emitted in pieces, each
 * cut on a character boundary (so chunks that split a line or a character, as Spark's
 * {@code RedirectThread} writes them, join up again).
 *
 * <p>Not thread-safe: one per writing thread (or per stream, for one reader); {@link #flushPartial} from another thread must hold
 * the same lock as the writer (the capture does).
 */
public final class LineSplitter {

    /** The longest piece of an unended line. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private final Charset charset;
    private final CharsetDecoder decoder; // for pieces, which may end inside a character
    private final Consumer<String> lines;
    /** A buffer a long line grew past this goes back to its first size once the line has ended. */
    static final int MAX_KEPT_BYTES = 8 * 1024;
    private static final int FIRST_BYTES = 256;
    // One per thread that prints, kept for the thread's life: it grows up to MAX_LINE_BYTES for a
    // long line, and shrinks again when that line ends (a pool of threads that once printed a long
    // line each would otherwise hold 64 KiB apiece).
    private byte[] pending = new byte[FIRST_BYTES];
    private int length;

    /**
     * The charset to decode a stream's bytes with: the stream's own, except US-ASCII — Java 17's
     * default in a POSIX locale, as in many containers — which is read as UTF-8, its superset: what
     * a child process printed in UTF-8 (Python 3 does in any locale) stays readable instead of
     * becoming U+FFFD, and ASCII text decodes the same.
     */
    public static Charset decodingFor(Charset streamCharset) {
        return streamCharset.equals(java.nio.charset.StandardCharsets.US_ASCII)
                ? java.nio.charset.StandardCharsets.UTF_8 : streamCharset;
    }

    /**
     * @param charset decodes the bytes (see {@link #decodingFor})
     * @param lines   receives each line, on the writing thread
     */
    public LineSplitter(Charset charset, Consumer<String> lines) {
        this.charset = charset;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.lines = lines;
    }

    /** Takes {@code len} bytes; emits every line they complete. */
    public void write(byte[] bytes, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                int lineLength = length > 0 && pending[length - 1] == '\r' ? length - 1 : length;
                emit(lineLength, true);
                ended();
            } else {
                if (length == pending.length) {
                    if (length == MAX_LINE_BYTES) {
                        emitPiece();
                    } else {
                        pending = java.util.Arrays.copyOf(pending, Math.min(MAX_LINE_BYTES, length * 2));
                    }
                }
                pending[length++] = b;
            }
        }
    }

    /** True while part of a line is held. */
    boolean hasPartial() {
        return length > 0;
    }

    /** Emits the unended line held so far, if any (at a flush, a stop, the JVM's exit). */
    public void flushPartial() {
        if (length > 0) {
            emit(length, true);
            ended();
        }
    }

    private void ended() {
        length = 0;
        if (pending.length > MAX_KEPT_BYTES) {
            pending = new byte[FIRST_BYTES];
        }
    }

    /** The bytes held for the next line; for tests. */
    int capacity() {
        return pending.length;
    }

    /** A full buffer without a line end: emits as much as decodes to whole characters, keeps the rest. */
    private void emitPiece() {
        int kept = emit(length, false);
        System.arraycopy(pending, length - kept, pending, 0, kept);
        length = kept;
    }

    /**
     * Decodes {@code count} bytes and emits them unless empty; with {@code endOfInput} false, an
     * incomplete character at the end is left undecoded. Returns how many bytes were left.
     */
    private int emit(int count, boolean endOfInput) {
        if (count == 0) {
            return 0;
        }
        if (endOfInput) { // a whole line: the String constructor decodes with the same replacement, without a buffer
            lines.accept(new String(pending, 0, count, charset));
            return 0;
        }
        ByteBuffer in = ByteBuffer.wrap(pending, 0, count);
        CharBuffer out = CharBuffer.allocate((int) (count * (double) decoder.maxCharsPerByte()) + 4);
        decoder.reset();
        decoder.decode(in, out, false);
        int left = in.remaining();
        if (left == count) { // not one whole character in a full buffer: cannot be text
            in.position(count);
            left = 0;
            out.put('\uFFFD');
        }
        out.flip();
        if (out.hasRemaining()) {
            lines.accept(out.toString());
        }
        return left;
    }
}
