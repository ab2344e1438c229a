package io.github.sqsappender.benchmarks;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts send requests and billed 64 KiB units as they leave a client, the same way for every
 * contender that uses its own client (ours reports the same figures through its metrics).
 */
final class RequestCounter implements ExecutionInterceptor {

    private static final long UNIT = 65_536;

    final AtomicLong requests = new AtomicLong();
    final AtomicLong billedUnits = new AtomicLong();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        long bytes;
        if (context.request() instanceof SendMessageBatchRequest batch) {
            bytes = 0;
            for (SendMessageBatchRequestEntry entry : batch.entries()) {
                bytes += entry.messageBody().getBytes(StandardCharsets.UTF_8).length;
            }
        } else if (context.request() instanceof SendMessageRequest single) {
            bytes = single.messageBody().getBytes(StandardCharsets.UTF_8).length;
        } else {
            return;
        }
        requests.incrementAndGet();
        billedUnits.addAndGet(Math.max(1, (bytes + UNIT - 1) / UNIT));
    }
}
