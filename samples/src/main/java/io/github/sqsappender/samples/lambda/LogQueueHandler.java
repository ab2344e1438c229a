package io.github.sqsappender.samples.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.github.sqsappender.reader.CorruptMessageException;
import io.github.sqsappender.reader.LambdaMessages;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Lambda function that consumes the log queue: each SQS message is decoded into its log events
 * (packed or not, gzip or not) and every event is handed to a sink — here standard output, i.e.
 * CloudWatch Logs; in your function, an index, a metric, an alert. A message that cannot be decoded
 * is reported as a batch item failure, so SQS redelivers only it (and, after the queue's
 * {@code maxReceiveCount}, moves it to the dead-letter queue) while the rest of the batch is done.
 *
 * <p>Enable {@code ReportBatchItemFailures} on the event source mapping. With packing, one failing
 * event redelivers its whole message, so the sink must be idempotent.
 */
public class LogQueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Consumer<String> sink;

    /** The handler Lambda instantiates: prints every event. */
    public LogQueueHandler() {
        this(System.out::println);
    }

    /** A handler that gives every event to {@code sink} (for tests, or your own processing). */
    public LogQueueHandler(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            List<String> events;
            try {
                events = LambdaMessages.events(message);
            } catch (CorruptMessageException e) {
                if (context != null && context.getLogger() != null) {
                    context.getLogger().log(e.getMessage());
                }
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
                continue;
            }
            events.forEach(sink);
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
