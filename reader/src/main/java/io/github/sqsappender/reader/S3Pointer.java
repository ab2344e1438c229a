package io.github.sqsappender.reader;

import java.util.Set;

/**
 * The Amazon SQS Extended Client's pointer to a message body stored in S3, as sent by
 * {@code largeMessagePolicy=s3}:
 * {@code ["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"B","s3Key":"K"}]}.
 * Java and Python consumers using the Extended Client resolve these transparently; this is for
 * consumers that do not (fetch {@code s3://bucket/key}, UTF-8 text, to get the event back). It
 * also reads the pointers the Extended Clients themselves write: the Python and JavaScript
 * clients' (JSON with spaces after {@code ,} and {@code :}), and the legacy class name
 * {@code com.amazon.sqs.javamessaging.MessageS3Pointer}.
 */
public record S3Pointer(String bucket, String key) {

    private static final Set<String> POINTER_CLASSES = Set.of(
            "software.amazon.payloadoffloading.PayloadS3Pointer", "com.amazon.sqs.javamessaging.MessageS3Pointer");

    /**
     * The attributes that mark a message as offloaded: the Extended Client's size attribute
     * ({@code ExtendedPayloadSize}), and its legacy name ({@code SQSLargePayloadSize}).
     */
    public static final Set<String> SIZE_ATTRIBUTES = Set.of("ExtendedPayloadSize", "SQSLargePayloadSize");

    /**
     * The pointer of an offloaded message: {@code body} parsed when the message carries one of
     * {@link #SIZE_ATTRIBUTES}, else null — so an ordinary log line whose text happens to be a
     * pointer is not mistaken for one. Never throws.
     *
     * @param attributeNames the names of the message attributes received with it
     */
    public static S3Pointer ofOffloaded(String body, java.util.Collection<String> attributeNames) {
        for (String name : attributeNames) {
            if (SIZE_ATTRIBUTES.contains(name)) {
                return parse(body);
            }
        }
        return null;
    }

    /** The pointer in {@code body}, or null when the body is not one. Never throws. */
    public static S3Pointer parse(String body) {
        if (body == null || body.length() > 64 * 1024) { // a pointer is a few hundred bytes
            return null;
        }
        try {
            Cursor c = new Cursor(body);
            c.expect('[');
            if (!POINTER_CLASSES.contains(c.string())) {
                return null;
            }
            c.expect(',');
            c.expect('{');
            String bucket = null;
            String key = null;
            do {
                String name = c.string();
                c.expect(':');
                String value = c.string();
                if (name.equals("s3BucketName")) {
                    bucket = value;
                } else if (name.equals("s3Key")) {
                    key = value;
                }
            } while (c.accept(','));
            c.expect('}');
            c.expect(']');
            c.expectEnd();
            return bucket == null || key == null ? null : new S3Pointer(bucket, key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Reads JSON tokens of a pointer, skipping the whitespace JSON allows between them. */
    private static final class Cursor {
        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        void expect(char c) {
            if (!accept(c)) {
                throw new IllegalArgumentException("expected " + c);
            }
        }

        boolean accept(char c) {
            skipWhitespace();
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        String string() {
            skipWhitespace();
            int start = at;
            if (start >= text.length() || text.charAt(start) != '"') {
                throw new IllegalArgumentException("expected a string");
            }
            int end = start + 1;
            while (end < text.length() && text.charAt(end) != '"') {
                end += text.charAt(end) == '\\' ? 2 : 1;
            }
            if (end >= text.length()) {
                throw new IllegalArgumentException("unterminated string");
            }
            at = end + 1;
            return JsonStrings.parse(text, start, at);
        }

        void expectEnd() {
            skipWhitespace();
            if (at != text.length()) {
                throw new IllegalArgumentException("text after the pointer");
            }
        }

        private void skipWhitespace() {
            while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }
    }
}
