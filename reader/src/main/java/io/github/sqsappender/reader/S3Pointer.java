package io.github.sqsappender.reader;

/**
 * The Amazon SQS Extended Client's pointer to a message body stored in S3, as sent by
 * {@code largeMessagePolicy=s3}:
 * {@code ["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"B","s3Key":"K"}]}.
 * Java and Python consumers using the Extended Client resolve these transparently; this is for
 * consumers that do not (fetch {@code s3://bucket/key}, UTF-8 text, to get the event back).
 */
public record S3Pointer(String bucket, String key) {

    private static final String PREFIX = "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{";

    /** The pointer in {@code body}, or null when the body is not one. Never throws. */
    public static S3Pointer parse(String body) {
        if (body == null || !body.startsWith(PREFIX) || !body.endsWith("}]")) {
            return null;
        }
        String bucket = field(body, "\"s3BucketName\":");
        String key = field(body, "\"s3Key\":");
        return bucket == null || key == null ? null : new S3Pointer(bucket, key);
    }

    private static String field(String body, String name) {
        int at = body.indexOf(name);
        if (at < 0) {
            return null;
        }
        int start = at + name.length();
        if (start >= body.length() || body.charAt(start) != '"') {
            return null;
        }
        int end = start + 1;
        while (end < body.length() && body.charAt(end) != '"') {
            end += body.charAt(end) == '\\' ? 2 : 1;
        }
        if (end >= body.length()) {
            return null;
        }
        try {
            return JsonStrings.parse(body, start, end + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
