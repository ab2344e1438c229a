package io.github.sqsappender.core.text;

/**
 * Cuts a body to a UTF-8 byte budget without splitting a code point, and appends a visible marker
 * saying how many bytes were cut, so a reader knows the event was longer.
 */
public final class Truncator {

    private static final String MARKER_PREFIX = "...[truncated ";
    private static final String MARKER_SUFFIX = " bytes]";

    private Truncator() {
    }

    /**
     * Returns a body of at most {@code maxBytes} UTF-8 bytes ending with the marker, or null when
     * {@code maxBytes} is too small to hold even the marker.
     *
     * @param body      a sanitized body longer than {@code maxBytes}
     * @param bodyBytes its UTF-8 length
     */
    public static String truncate(String body, int bodyBytes, int maxBytes) {
        // The marker's width depends on the digits of the cut count, which is below bodyBytes.
        int markerBytes = MARKER_PREFIX.length() + Integer.toString(bodyBytes).length() + MARKER_SUFFIX.length();
        int budget = maxBytes - markerBytes;
        if (budget < 0) {
            return null;
        }
        int end = Utf8.prefixFitting(body, budget);
        String kept = body.substring(0, end);
        int cut = bodyBytes - Utf8.encodedLength(kept);
        return kept + MARKER_PREFIX + cut + MARKER_SUFFIX;
    }
}
