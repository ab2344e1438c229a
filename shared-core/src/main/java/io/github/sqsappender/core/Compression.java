package io.github.sqsappender.core;

/** How packed message bodies are encoded. */
public enum Compression {
    /** The records as text. */
    NONE,
    /**
     * Standard base64 (padded, no line breaks) of one gzip member of the records' UTF-8 bytes,
     * with {@code Content-Encoding: gzip,base64}. Only with {@code packing=ndjson}.
     */
    GZIP
}
