package io.github.sqsappender.core.text;

/** UTF-8 sizing without encoding: SQS limits are in UTF-8 bytes, Java strings are UTF-16. */
public final class Utf8 {

    private Utf8() {
    }

    /** The number of bytes {@code s} takes in UTF-8; a lone surrogate counts as 3 (as U+FFFD would). */
    public static int encodedLength(CharSequence s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for the pair, 2 chars already counted
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /**
     * In one pass: the UTF-8 length of {@code s} if every character is one SQS accepts, or -1 if
     * {@code s} must be sanitized first (see {@link BodySanitizer}). The hot path of every append.
     */
    public static int encodedLengthIfValid(String s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) {
                    return -1;
                }
            } else if (c < 0x800) {
                bytes += 1;
            } else if (c < 0xD800 || (c >= 0xE000 && c <= 0xFFFD)) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2;
                i++;
            } else {
                return -1;
            }
        }
        return bytes;
    }

    /**
     * The largest index {@code end} such that {@code s.substring(0, end)} takes at most
     * {@code maxBytes} in UTF-8 and does not split a surrogate pair.
     */
    public static int prefixFitting(CharSequence s, int maxBytes) {
        int bytes = 0;
        int length = s.length();
        int i = 0;
        while (i < length) {
            char c = s.charAt(i);
            int charBytes;
            int chars = 1;
            if (c < 0x80) {
                charBytes = 1;
            } else if (c < 0x800) {
                charBytes = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                charBytes = 4;
                chars = 2;
            } else {
                charBytes = 3;
            }
            if (bytes + charBytes > maxBytes) {
                return i;
            }
            bytes += charBytes;
            i += chars;
        }
        return length;
    }
}
