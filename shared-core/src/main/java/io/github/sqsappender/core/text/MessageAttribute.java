package io.github.sqsappender.core.text;

import java.util.List;

/**
 * One SQS message attribute, already sanitized. SQS counts its name, data type and value towards
 * the message size, so {@link #sizeBytes()} does too.
 */
public record MessageAttribute(String name, String dataType, String value) {

    /** UTF-8 bytes of name, data type and value, as SQS counts them. */
    public int sizeBytes() {
        return Utf8.encodedLength(name) + Utf8.encodedLength(dataType) + Utf8.encodedLength(value);
    }

    /** The sum of {@link #sizeBytes()} over {@code attributes}. */
    public static int sizeBytes(List<MessageAttribute> attributes) {
        int bytes = 0;
        for (int i = 0, n = attributes.size(); i < n; i++) { // no iterator: called for every event
            bytes += attributes.get(i).sizeBytes();
        }
        return bytes;
    }
}
