package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.SqsSender;
import java.util.ArrayList;
import java.util.List;

/**
 * One SendMessageBatch request: up to ten messages within SQS's byte limit, in the order they
 * were batched. The batch assigns the entry ids SQS echoes back — each message's position,
 * {@code "0"} to {@code "9"} — so a response maps back to its messages without any lookup state.
 *
 * @param messages     the messages, in entry-id order
 * @param payloadBytes their total size as SQS counts it
 * @param sentAt       ticker time the request was sent
 */
record Batch(List<OutgoingMessage> messages, long payloadBytes, long sentAt) {

    /** SQS rejects a SendMessageBatch whose entries total more than this. */
    static final int MAX_BATCH_BYTES = 1_048_576; // SQS quota: 1 MiB per batch request

    static Batch of(List<OutgoingMessage> messages, long sentAt) {
        long payload = 0;
        for (OutgoingMessage message : messages) {
            payload += message.wireBytes();
        }
        return new Batch(List.copyOf(messages), payload, sentAt);
    }

    /** The entries to send, with the ids this batch assigns. */
    List<SqsSender.BatchEntry> entries() {
        List<SqsSender.BatchEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(new SqsSender.BatchEntry(Integer.toString(i), messages.get(i).wire()));
        }
        return entries;
    }

    /** The message behind entry {@code id}, or null if no entry of this batch has that id. */
    OutgoingMessage message(String id) {
        try {
            int index = Integer.parseInt(id);
            return index >= 0 && index < messages.size() ? messages.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
