package io.github.sqsappender.samples.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.sqsappender.log4j2.SqsAppender;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

import java.util.List;
import java.util.Map;

/**
 * A Lambda function that <em>produces</em> logs through the {@code <Sqs>} appender (its
 * {@code log4j2.xml} is packaged with the function, as usual). The one rule: flush before
 * returning. Lambda freezes the whole process once the handler returns — the appender's
 * dispatcher thread included — so what it still buffers would only move on the next invocation,
 * or never if the execution environment is recycled. {@link SqsAppender#flushAll} sends it now
 * and waits, bounded; keep the bound well under the function's remaining time.
 *
 * <p>The input is {@code {"orderId": "...", "items": ["...", ...]}}; the result says how many lines
 * were logged and whether they were all delivered.
 */
public final class CheckoutHandler implements RequestHandler<Map<String, Object>, String> {

    private static final Logger LOG = LogManager.getLogger(CheckoutHandler.class);
    /** The most a flush may take; the function's own timeout must leave room for it. */
    static final long FLUSH_MILLIS = 2_000;

    @Override
    public String handleRequest(Map<String, Object> input, Context context) {
        String orderId = String.valueOf(input.getOrDefault("orderId", "unknown"));
        ThreadContext.put("requestId", context != null ? context.getAwsRequestId() : "local");
        int logged = 0;
        try {
            LOG.info("checkout {} started", orderId);
            logged++;
            Object items = input.get("items");
            for (Object item : items instanceof List<?> list ? list : List.of()) {
                LOG.info("checkout {} item {}", orderId, item);
                logged++;
            }
            LOG.info("checkout {} done", orderId);
            logged++;
        } finally {
            ThreadContext.remove("requestId");
        }
        long budget = context != null ? Math.min(FLUSH_MILLIS, Math.max(0, context.getRemainingTimeInMillis() - 500))
                : FLUSH_MILLIS;
        boolean delivered = SqsAppender.flushAll(budget); // before returning: the process is frozen after
        return "logged=" + logged + " delivered=" + delivered;
    }
}
