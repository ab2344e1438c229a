package io.github.sqsappender.core.text;

/**
 * Replaces characters SQS rejects with U+FFFD. SQS accepts only #x9, #xA, #xD, #x20–#xD7FF,
 * #xE000–#xFFFD and #x10000–#x10FFFF, so NUL, ESC (ANSI colour codes), other C0 controls, lone
 * surrogates and U+FFFE/U+FFFF must go — one of them would fail the whole entry.
 */
public final class BodySanitizer {

    /** The replacement character. */
    public static final char REPLACEMENT = '\uFFFD';

    private BodySanitizer() {
    }

    /** Returns {@code s} itself when every character is allowed (no allocation), else a cleaned copy. */
    public static String sanitize(String s) {
        int firstBad = firstInvalid(s);
        return firstBad < 0 ? s : replaceFrom(s, firstBad);
    }

    /** The index of the first character SQS rejects, or -1. */
    public static int firstInvalid(String s) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0xD800) {
                continue; // the common case: printable BMP below the surrogates
            }
            if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0xE000 && c <= 0xFFFD)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    private static String replaceFrom(String s, int start) {
        StringBuilder sb = new StringBuilder(s.length());
        sb.append(s, 0, start);
        int length = s.length();
        for (int i = start; i < length; i++) {
            char c = s.charAt(i);
            if ((c >= 0x20 && c < 0xD800) || c == 0x9 || c == 0xA || c == 0xD || (c >= 0xE000 && c <= 0xFFFD)) {
                sb.append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(i + 1));
                i++;
            } else {
                sb.append(REPLACEMENT);
            }
        }
        return sb.toString();
    }
}
