package io.github.sqsappender.reader;

/** A strict RFC 8259 parser for one JSON string value, as a packed record is. Stateless. */
final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * The value of the JSON string {@code text[from, to)}.
     *
     * @throws IllegalArgumentException saying what is wrong, if it is not exactly one JSON string
     */
    static String parse(String text, int from, int to) {
        if (to - from < 2 || text.charAt(from) != '"' || text.charAt(to - 1) != '"') {
            throw new IllegalArgumentException("not a JSON string (it must start and end with a quote)");
        }
        int end = to - 1;
        int i = from + 1;
        while (i < end) { // most records escape nothing: their value is a substring
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                break;
            }
            i++;
        }
        if (i == end) {
            return text.substring(from + 1, end);
        }
        StringBuilder out = new StringBuilder(to - from);
        out.append(text, from + 1, i);
        while (i < end) {
            char c = text.charAt(i);
            if (c == '"') {
                throw new IllegalArgumentException("unescaped quote at offset " + (i - from));
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("raw control character U+" + hex(c) + " at offset " + (i - from));
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= end) {
                throw new IllegalArgumentException("dangling backslash at offset " + (i - from));
            }
            char e = text.charAt(i + 1);
            switch (e) {
                case '"': case '\\': case '/': out.append(e); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    if (i + 6 > end) {
                        throw new IllegalArgumentException("short \\u escape at offset " + (i - from));
                    }
                    out.append((char) hexValue(text, i + 2, i + 6, i - from));
                    i += 4;
                    break;
                default:
                    throw new IllegalArgumentException("invalid escape \\" + e + " at offset " + (i - from));
            }
            i += 2;
        }
        return out.toString();
    }

    private static int hexValue(String text, int from, int to, int offset) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("invalid \\u escape at offset " + offset);
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
