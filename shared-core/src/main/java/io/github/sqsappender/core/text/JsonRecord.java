package io.github.sqsappender.core.text;

import java.nio.charset.StandardCharsets;

/**
 * One event as a packed record: a JSON string (RFC 8259) whose value is exactly the event's body.
 * Besides {@code "} and {@code \}, every character below U+0020, U+007F–U+009F, U+2028 and U+2029
 * is escaped, so a record never holds a raw line break of any kind and a consumer can split a
 * packed body on {@code \n} (or {@code splitlines()}) before parsing. Thread-safe (stateless).
 */
public final class JsonRecord {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** For each ASCII character: 0 when it stands for itself in a record, else its escape letter ('u': {@code \\u00XX}). */
    private static final byte[] ASCII_ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_ESCAPES[c] = (byte) (shortEscape((char) c) != 0 ? shortEscape((char) c) : 'u');
        }
        ASCII_ESCAPES['"'] = '"';
        ASCII_ESCAPES['\\'] = '\\';
        ASCII_ESCAPES[0x7F] = 'u';
    }

    /**
     * For each ASCII character: the bytes its record adds to its own one ({@link #extraBytes}), or
     * -1 when SQS refuses it in a body — derived from {@link Utf8#encodedLengthIfValid}, the one
     * definition of what SQS accepts.
     */
    private static final byte[] ASCII_EXTRA_OR_REFUSED = new byte[128];
    /** For each ASCII character: the bytes its record escape adds to its own one ({@link #extraBytes}). */
    private static final byte[] ASCII_EXTRA = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            String one = String.valueOf(c);
            ASCII_EXTRA[c] = (byte) (extraBytes(one) - 2);
            ASCII_EXTRA_OR_REFUSED[c] = Utf8.encodedLengthIfValid(one) < 0 ? -1 : ASCII_EXTRA[c];
        }
    }

    private JsonRecord() {
    }

    /**
     * The body's UTF-8 length and what its record adds ({@link #extraBytes}), in one pass over an
     * ASCII body — the application thread's measure of a packable event.
     *
     * @return {@code (long) bodyBytes << 32 | extraBytes}, or -1 when the body holds a character
     *         SQS refuses ({@link Utf8#encodedLengthIfValid} is negative: sanitize it first)
     */
    public static long measure(String body) {
        int extra = 2;
        for (int i = 0, n = body.length(); i < n; i++) {
            char c = body.charAt(i);
            if (c >= 0x80) {
                return measureBeyondAscii(body);
            }
            int add = ASCII_EXTRA_OR_REFUSED[c];
            if (add < 0) {
                return -1;
            }
            extra += add;
        }
        return (long) body.length() << 32 | extra;
    }

    private static long measureBeyondAscii(String body) {
        int bytes = Utf8.encodedLengthIfValid(body);
        return bytes < 0 ? -1 : (long) bytes << 32 | extraBytes(body);
    }

    /**
     * UTF-8 bytes the record adds to the body's own: the two quotes and every escape. Called on
     * the application thread, so it is one pass without allocation.
     */
    public static int extraBytes(String body) {
        int extra = 2;
        for (int i = 0, n = body.length(); i < n; i++) {
            char c = body.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                if (c == '"' || c == '\\') {
                    extra += 1;
                }
            } else if (c < 0x20) {
                extra += shortEscape(c) != 0 ? 1 : 5; // \n is 2 bytes for 1; \u0001 is 6 for 1
            } else if (c == 0x7F) {
                extra += 5;
            } else if (c >= 0x80 && c <= 0x9F) {
                extra += 4; // 2 UTF-8 bytes become 6
            } else if (c == 0x2028 || c == 0x2029) {
                extra += 3; // 3 UTF-8 bytes become 6
            }
        }
        return extra;
    }

    /** Appends the record of {@code body} to {@code out}. */
    public static void append(StringBuilder out, String body) {
        out.append('"');
        int start = 0;
        for (int i = 0, n = body.length(); i < n; i++) {
            char c = body.charAt(i);
            boolean plain = (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
                    || (c > 0x9F && c != 0x2028 && c != 0x2029);
            if (plain) {
                continue;
            }
            out.append(body, start, i);
            start = i + 1;
            char escape = c == '"' || c == '\\' ? c : shortEscape(c);
            if (escape != 0) {
                out.append('\\').append(escape);
            } else {
                out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        out.append(body, start, body.length()).append('"');
    }

    /**
     * The record of {@code body} in UTF-8: what {@link #append} writes, encoded, in an array of its
     * exact size (see {@link #encodeInto}).
     *
     * @param bodyBytes  the body's UTF-8 length ({@link Utf8#encodedLength})
     * @param extraBytes what the record adds ({@link #extraBytes})
     */
    public static byte[] encode(String body, int bodyBytes, int extraBytes) {
        byte[] out = new byte[bodyBytes + extraBytes];
        encodeInto(body, bodyBytes, extraBytes, out, 0);
        return out;
    }

    /**
     * Writes the record of {@code body} in UTF-8 into {@code out} from {@code at}, and returns
     * where it ends ({@code at + bodyBytes + extraBytes}); nothing outside that range is touched.
     * The caller has measured the body ({@link #measure}), so an ASCII body whose escapes are all
     * at its end (a layout's line break) is one bulk copy and a few chars.
     *
     * @param bodyBytes  the body's UTF-8 length ({@link Utf8#encodedLength})
     * @param extraBytes what the record adds ({@link #extraBytes})
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a plain copy of ASCII
    public static int encodeInto(String body, int bodyBytes, int extraBytes, byte[] out, int at) {
        int length = body.length();
        int last = at + bodyBytes + extraBytes - 1;
        out[at] = '"';
        out[last] = '"';
        if (bodyBytes == length) { // ASCII
            // The escapes usually sit at the end (a layout's line break): found from the back by
            // what they add, everything before them is plain text, copied in bulk.
            int plain = length;
            for (int missing = extraBytes - 2; missing > 0 && plain > 0; ) {
                missing -= ASCII_EXTRA[body.charAt(--plain)];
            }
            body.getBytes(0, plain, out, at + 1);
            int p = at + 1 + plain;
            for (int i = plain; i < length; i++) {
                char c = body.charAt(i);
                byte escape = ASCII_ESCAPES[c];
                if (escape == 0) {
                    out[p++] = (byte) c;
                } else if (escape == 'u') {
                    p = unicodeEscape(out, p, c);
                } else {
                    out[p++] = '\\';
                    out[p++] = escape;
                }
            }
            return last + 1;
        }
        int p = at + 1;
        for (int i = 0; i < length; i++) {
            char c = body.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                    out[p++] = (byte) c;
                } else if (c == '"' || c == '\\' || shortEscape(c) != 0) {
                    out[p++] = '\\';
                    out[p++] = (byte) (c == '"' || c == '\\' ? c : shortEscape(c));
                } else {
                    p = unicodeEscape(out, p, c);
                }
            } else if (c < 0x800) {
                if (c <= 0x9F) {
                    p = unicodeEscape(out, p, c);
                } else {
                    out[p++] = (byte) (0xC0 | (c >> 6));
                    out[p++] = (byte) (0x80 | (c & 0x3F));
                }
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(body.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, body.charAt(++i));
                out[p++] = (byte) (0xF0 | (cp >> 18));
                out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (c == 0x2028 || c == 0x2029) {
                p = unicodeEscape(out, p, c);
            } else {
                char ch = Character.isSurrogate(c) ? '\uFFFD' : c; // a sanitized body has no lone surrogate
                out[p++] = (byte) (0xE0 | (ch >> 12));
                out[p++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (ch & 0x3F));
            }
        }
        return last + 1;
    }

    private static int unicodeEscape(byte[] out, int p, char c) {
        out[p++] = '\\';
        out[p++] = 'u';
        out[p++] = HEX_BYTES[(c >> 12) & 0xF];
        out[p++] = HEX_BYTES[(c >> 8) & 0xF];
        out[p++] = HEX_BYTES[(c >> 4) & 0xF];
        out[p++] = HEX_BYTES[c & 0xF];
        return p;
    }

    private static char shortEscape(char c) {
        switch (c) {
            case '\n': return 'n';
            case '\r': return 'r';
            case '\t': return 't';
            case '\b': return 'b';
            case '\f': return 'f';
            default: return 0;
        }
    }
}
