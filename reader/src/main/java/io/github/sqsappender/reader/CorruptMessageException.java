package io.github.sqsappender.reader;

/**
 * A message that says it is packed (or looks packed) but cannot be decoded completely: bad
 * base64, a broken gzip stream, a line that is not a JSON string, or fewer records than its
 * {@code EventCount}. Never a partial list: the caller decides what to do with the whole message
 * (for a Lambda, report it as a batch item failure).
 */
public final class CorruptMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String messageId;

    public CorruptMessageException(String messageId, String problem, Throwable cause) {
        super("SQS message " + messageId + " cannot be decoded: " + problem, cause);
        this.messageId = messageId;
    }

    /** The id of the message that could not be decoded. */
    public String messageId() {
        return messageId;
    }
}
