package io.github.sqsappender.core;

/** How events map to SQS messages. */
public enum Packing {
    /** One event per SQS message. */
    NONE,
    /**
     * Many events per message: each event a JSON string record, records joined by {@code \n};
     * the message carries {@code Content-Type: application/x-ndjson} and {@code EventCount}.
     */
    NDJSON
}
