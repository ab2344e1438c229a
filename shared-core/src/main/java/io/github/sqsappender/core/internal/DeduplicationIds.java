package io.github.sqsappender.core.internal;

import java.util.UUID;

/**
 * Deduplication ids of FIFO messages under {@code deduplication=unique}: 122 random bits each
 * (a version 4 UUID, from the JDK's {@code SecureRandom}), drawn per message. Not a prefix drawn
 * once and a counter: AWS Lambda SnapStart restores many environments from one snapshot of the
 * JVM, which would all go on with the same prefix and the same count, and SQS would take every
 * later copy of an id within five minutes for a duplicate — answering success and storing nothing.
 * {@code SecureRandom} reads the system's entropy anew after a restore. Any thread.
 */
final class DeduplicationIds {

    private DeduplicationIds() {
    }

    /** A new id: 36 characters, within SQS's 128. */
    static String next() {
        return UUID.randomUUID().toString();
    }
}
