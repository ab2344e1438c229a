package io.github.sqsappender.core.internal;

/**
 * One event as a packed record: a JSON string (RFC 8259) whose value is exactly the event's body.
 * Besides {@code "} and {@code \}, every character below U+0020, U+007F–U+009F, U+2028 and U+2029
 * is escaped, so a record never holds a raw line break of any kind and a consumer can split a
 * packed body on {@code \n} (or {@code splitlines()}) before parsing. Thread-safe (stateless).
 */
final class JsonRecord {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonRecord() {
    }

    /**
     * UTF-8 bytes the record adds to the body's own: the two quotes and every escape. Called on
     * the application thread, so it is one pass without allocation.
     */
    static int extraBytes(String body) {
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
    static void append(StringBuilder out, String body) {
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
