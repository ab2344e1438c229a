package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what happens to each message of a completed request — a pure function of the batch
 * and SQS's answer, with no state and no side effects:
 * <ul>
 *   <li>no failure reported for its entry: <b>delivered</b>;</li>
 *   <li>an entry failure with {@code SenderFault=false}, or a retryable whole-request failure
 *       (throttling, 5xx, I/O): <b>retry</b>;</li>
 *   <li>an entry failure with {@code SenderFault=true}, or a permanent request failure (access
 *       denied, no such queue): <b>rejected</b>, with SQS's code.</li>
 * </ul>
 */
final class OutcomeRouter {

    /** A message SQS will not take as it is. */
    record Rejection(OutgoingMessage message, String code, String reason) {
    }

    /** Where each message of one request goes. {@code requestFailure} is null for a response. */
    record Routing(List<OutgoingMessage> delivered, List<OutgoingMessage> retry, List<Rejection> rejected,
                   SendFailure requestFailure) {
    }

    private OutcomeRouter() {
    }

    /** Routes the messages of a request that SQS answered. */
    static Routing route(Batch batch, SqsSender.BatchResult result) {
        if (result.failures().isEmpty()) {
            return new Routing(batch.messages(), List.of(), List.of(), null); // the common case: no lookups
        }
        Map<String, SqsSender.EntryFailure> failures = new HashMap<>();
        for (SqsSender.EntryFailure failure : result.failures()) {
            failures.put(failure.id(), failure);
        }
        List<OutgoingMessage> messages = batch.messages();
        List<OutgoingMessage> delivered = new ArrayList<>(messages.size());
        List<OutgoingMessage> retry = new ArrayList<>(0);
        List<Rejection> rejected = new ArrayList<>(0);
        for (int i = 0; i < messages.size(); i++) {
            SqsSender.EntryFailure failure = failures.get(Integer.toString(i));
            if (failure == null) {
                delivered.add(messages.get(i));
            } else if (failure.senderFault()) {
                rejected.add(new Rejection(messages.get(i), failure.code(), "SQS rejected an entry (SenderFault=true): "
                        + failure.code() + ": " + failure.message()));
            } else {
                retry.add(messages.get(i));
            }
        }
        return new Routing(delivered, retry, rejected, null);
    }

    /** Routes the messages of a request that failed as a whole. */
    static Routing route(Batch batch, SendFailure failure) {
        if (failure.retryable()) {
            return new Routing(List.of(), batch.messages(), List.of(), failure);
        }
        List<Rejection> rejected = new ArrayList<>(batch.messages().size());
        for (OutgoingMessage message : batch.messages()) {
            rejected.add(new Rejection(message, failure.code(), "SendMessageBatch failed permanently: " + failure.getMessage()));
        }
        return new Routing(List.of(), List.of(), rejected, failure);
    }
}
