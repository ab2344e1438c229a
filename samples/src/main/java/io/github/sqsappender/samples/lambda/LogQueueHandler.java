package io.github.sqsappender.samples.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.github.sqsappender.reader.LambdaMessages;
import io.github.sqsappender.reader.S3Pointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Lambda function that consumes the log queue: each SQS message is decoded into its log events
 * (packed or not, gzip or not) and every event is handed to a sink — here standard output, i.e.
 * CloudWatch Logs; in your function, an index, a metric, an alert. A message that cannot be decoded
 * is reported as a batch item failure, so SQS redelivers only it (and, after the queue's
 * {@code maxReceiveCount}, moves it to the dead-letter queue) while the rest of the batch is done.
 *
 * <p>An event offloaded to S3 ({@code largeMessagePolicy=s3}) arrives as an Extended Client pointer
 * (marked by its {@code ExtendedPayloadSize} attribute): the handler fetches the object, whose text
 * is the event (the function's role needs {@code s3:GetObject} on the bucket); a fetch that fails
 * is a batch item failure too, so the message is redelivered.
 *
 * <p>Enable {@code ReportBatchItemFailures} on the event source mapping. With packing, one failing
 * event redelivers its whole message, so the sink must be idempotent.
 */
public class LogQueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Consumer<String> sink;
    private final Function<S3Pointer, String> fetch;

    /** The handler Lambda instantiates: prints every event, fetching offloaded ones with the default S3 client. */
    public LogQueueHandler() {
        this(System.out::println);
    }

    /** A handler that gives every event to {@code sink} (for tests, or your own processing). */
    public LogQueueHandler(Consumer<String> sink) {
        this(sink, new S3Text());
    }

    /** As {@link #LogQueueHandler(Consumer)}, reading offloaded events' objects with {@code fetch}. */
    public LogQueueHandler(Consumer<String> sink, Function<S3Pointer, String> fetch) {
        this.sink = sink;
        this.fetch = fetch;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            List<String> events;
            try {
                S3Pointer pointer = offloaded(message);
                events = pointer != null ? List.of(fetch.apply(pointer)) : LambdaMessages.events(message);
            } catch (RuntimeException e) { // a corrupt message (CorruptMessageException), or a fetch that failed
                if (context != null && context.getLogger() != null) {
                    context.getLogger().log(message.getMessageId() + ": " + e.getMessage());
                }
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
                continue;
            }
            events.forEach(sink);
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The pointer of an offloaded event (its body, with the Extended Client's size attribute), or null. */
    static S3Pointer offloaded(SQSEvent.SQSMessage message) {
        Map<String, SQSEvent.MessageAttribute> attributes = message.getMessageAttributes();
        return attributes == null ? null : S3Pointer.ofOffloaded(message.getBody(), attributes.keySet());
    }

    /** Reads an object's text with an S3 client built on first use (the function's region and role). */
    private static final class S3Text implements Function<S3Pointer, String> {
        private software.amazon.awssdk.services.s3.S3AsyncClient s3;

        @Override
        public synchronized String apply(S3Pointer pointer) {
            if (s3 == null) {
                s3 = software.amazon.awssdk.services.s3.S3AsyncClient.create();
            }
            return s3.getObject(b -> b.bucket(pointer.bucket()).key(pointer.key()),
                    software.amazon.awssdk.core.async.AsyncResponseTransformer.toBytes()).join().asUtf8String();
        }
    }
}
