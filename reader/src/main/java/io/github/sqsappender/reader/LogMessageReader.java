package io.github.sqsappender.reader;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns one received SQS message into the log events it carries, whatever the appender's
 * {@code packing} and {@code compression}: an unpacked message is one event (its body); a packed
 * one ({@code Content-Type: application/x-ndjson}, or {@code Content-Encoding: gzip,base64} alone
 * when the consumer received only that attribute) is one event per line, each line a JSON string;
 * with {@code Content-Encoding: gzip,base64} the body is first base64-decoded and gunzipped.
 *
 * <p>When the consumer did not ask SQS for message attributes, the body decides: one that starts
 * with {@code H4sI} and is base64 (of a gzip header) is a gzip'ed pack, and must decode as one;
 * one whose every line is a JSON string is a pack. (So an unpacked event whose whole body is one
 * JSON string literal reads as that string's value: ask SQS for the message attributes, and say
 * so with {@link #events(String, String, Map, boolean)}, to be exact. Lambda's SQS events always
 * carry them.)
 *
 * <p>A body that inflates past 17 MiB or holds more than 524,288 records is refused as a gzip
 * bomb ({@link CorruptMessageException}) as soon as it passes either limit, before it takes that
 * memory; a pack of the appender stays within both (at most 16 MiB of records, and at most the
 * events its buffer holds).
 *
 * <p>Thread-safe (stateless). Uses only the JDK; {@link SdkMessages} and {@link LambdaMessages}
 * adapt the AWS SDK's and the Lambda runtime's message types.
 */
public final class LogMessageReader {

    /** The attribute that marks a packed message, and its value. */
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String NDJSON = "application/x-ndjson";
    /** The attribute that marks a gzip'ed body, and its value. */
    public static final String CONTENT_ENCODING = "Content-Encoding";
    public static final String GZIP_BASE64 = "gzip,base64";
    /** The number of events of a packed message. */
    public static final String EVENT_COUNT = "EventCount";

    private LogMessageReader() {
    }

    /**
     * The events of one message, in log order.
     *
     * @param messageId  the SQS message id, named in any exception
     * @param body       the message body
     * @param attributes its String/Number message attributes by name (empty if none were requested)
     * @throws CorruptMessageException if it is, or looks, packed but cannot be decoded completely
     */
    public static List<String> events(String messageId, String body, Map<String, String> attributes) {
        return events(messageId, body, attributes, false);
    }

    /**
     * The events of one message, in log order.
     *
     * @param messageId             the SQS message id, named in any exception
     * @param body                  the message body
     * @param attributes            its String/Number message attributes by name
     * @param attributesDelivered   true when SQS was asked for every message attribute (or, as
     *                              Lambda's SQS event source, always delivers them): a message
     *                              without {@code Content-Type} is then one unpacked event, exactly
     *                              its body, unless it carries {@code Content-Encoding} (only
     *                              gzip packs do), and a packed one must carry its
     *                              {@code EventCount}; false to decide from the body, as the
     *                              three-argument form
     * @throws CorruptMessageException if it is, or looks, packed but cannot be decoded completely
     */
    public static List<String> events(String messageId, String body, Map<String, String> attributes,
                                      boolean attributesDelivered) {
        String contentType = attributes.get(CONTENT_TYPE);
        String encoding = attributes.get(CONTENT_ENCODING);
        if (contentType != null || encoding != null || attributesDelivered) {
            boolean ndjson = isNdjson(contentType);
            if (!ndjson && (contentType != null || encoding == null)) {
                return List.of(body); // unpacked (or another producer's message with its own Content-Type)
            }
            // A pack: Content-Type says so, or Content-Encoding alone does (a consumer or relay that
            // passes on some attributes only) — unpacked messages carry neither.
            if (!GZIP_BASE64.equals(encoding) && encoding != null) {
                throw new CorruptMessageException(messageId, "unknown Content-Encoding '" + encoding
                        + "' (this reader knows '" + GZIP_BASE64 + "')", null);
            }
            String text = encoding != null ? gunzip(messageId, body) : body;
            List<String> events = records(messageId, text);
            String count = attributes.get(EVENT_COUNT);
            if (count == null && attributesDelivered && contentType != null) {
                throw new CorruptMessageException(messageId, "a packed message without its EventCount", null);
            }
            checkCount(messageId, events, count);
            return events;
        }
        return guess(messageId, body);
    }

    /**
     * The events of one S3 fallback object ({@code fallback=s3}): the object's bytes as stored
     * ({@code Content-Encoding: gzip}), gzip'ed NDJSON records, one JSON string per line, each line
     * ending in {@code \n}. For replaying what SQS could not take.
     *
     * @param key the object's key, named in any exception
     * @throws CorruptMessageException if the object cannot be decoded completely
     */
    public static List<String> fallbackObject(String key, byte[] gzipped) {
        return fallbackObject(key, gzipped, BoundedGunzip.MAX_INFLATED_BYTES);
    }

    /**
     * As {@link #fallbackObject(String, byte[])}, accepting an object that inflates to at most
     * {@code maxInflatedBytes} rather than 17 MiB: for an object of your own bucket that holds one
     * event larger than that (an offloaded event of over 17 MiB that could not be delivered).
     * The inflated text is held in memory, about twice its size.
     *
     * @param maxInflatedBytes at least 17 MiB ({@code 17825792}); at most {@code Integer.MAX_VALUE - 8}
     * @throws IllegalArgumentException if {@code maxInflatedBytes} is out of that range
     */
    public static List<String> fallbackObject(String key, byte[] gzipped, int maxInflatedBytes) {
        if (maxInflatedBytes < BoundedGunzip.MAX_INFLATED_BYTES || maxInflatedBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxInflatedBytes=" + maxInflatedBytes + " is invalid: from "
                    + BoundedGunzip.MAX_INFLATED_BYTES + " to " + (Integer.MAX_VALUE - 8));
        }
        String text = BoundedGunzip.text(key, gzipped, "the object", true, maxInflatedBytes);
        if (text.isEmpty()) {
            return List.of();
        }
        return records(key, text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    }

    /**
     * True for the packs' media type, compared as media types are: without regard to case, and
     * without the parameters a relay may add ({@code application/x-ndjson; charset=utf-8}).
     */
    private static boolean isNdjson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
        return type.equalsIgnoreCase(NDJSON);
    }

    private static List<String> guess(String messageId, String body) {
        if (body.startsWith("H4sI") && isBase64(body.strip())) {
            return records(messageId, gunzip(messageId, body)); // a gzip header: a pack, whole or corrupt
        }
        if (body.startsWith("\"")) {
            try {
                return records(messageId, body);
            } catch (CorruptMessageException e) {
                return List.of(body);
            }
        }
        return List.of(body);
    }

    private static void checkCount(String messageId, List<String> events, String eventCount) {
        if (eventCount == null) {
            return;
        }
        try {
            long expected = Long.parseLong(eventCount.trim());
            if (expected != events.size()) {
                throw new CorruptMessageException(messageId, "EventCount is " + expected + " but the body holds "
                        + events.size() + " records", null);
            }
        } catch (NumberFormatException e) {
            throw new CorruptMessageException(messageId, "EventCount '" + eventCount + "' is not a number", e);
        }
    }

    /** The records of a packed body: one JSON string per line, lines split on {@code \n}. */
    static List<String> records(String messageId, String text) {
        int count = 1;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            if (++count > BoundedGunzip.MAX_RECORDS) {
                throw new CorruptMessageException(messageId, "the body holds more than " + BoundedGunzip.MAX_RECORDS
                        + " records", null);
            }
        }
        List<String> events = new ArrayList<>(count);
        int start = 0;
        int line = 1;
        while (true) {
            int end = text.indexOf('\n', start);
            int stop = end < 0 ? text.length() : end;
            try {
                events.add(JsonStrings.parse(text, start, stop));
            } catch (IllegalArgumentException e) {
                throw new CorruptMessageException(messageId, "record " + line + ": " + e.getMessage(), e);
            }
            if (end < 0) {
                return events;
            }
            start = end + 1;
            line++;
        }
    }

    private static String gunzip(String messageId, String body) {
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(body.strip());
        } catch (IllegalArgumentException e) {
            throw new CorruptMessageException(messageId, "the body is not base64: " + e.getMessage(), e);
        }
        return BoundedGunzip.text(messageId, compressed, "the body", false);
    }

    private static boolean isBase64(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
