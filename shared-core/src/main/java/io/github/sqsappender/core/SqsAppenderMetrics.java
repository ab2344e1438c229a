package io.github.sqsappender.core;

import javax.management.MXBean;

/**
 * Live counters of one appender, readable from any thread and registered as the JMX MBean
 * {@code io.github.sqsappender:type=SqsAppender,name=NAME}. Counters only grow for one appender
 * instance (a reconfiguration that builds a new one starts it at zero, and the MBean then shows the
 * new one); gauges ({@code Buffered*}, {@code RequestsInFlight}) reflect the current moment.
 *
 * <p>Accounting invariant, once the appender has stopped: {@code EventsAppended ==
 * EventsSent + EventsSentToFallback + EventsDropped} (retries, truncation and offloading do not
 * change the event count).
 */
@MXBean
public interface SqsAppenderMetrics {

    /** Events handed to the appender (after the feedback filter), including those later dropped. */
    long getEventsAppended();

    /** Events SQS acknowledged. */
    long getEventsSent();

    /** SQS messages acknowledged; fewer than events when packing puts many events in one message. */
    long getMessagesSent();

    /** All dropped events, whatever the reason. */
    long getEventsDropped();

    long getEventsDroppedOverflow();

    long getEventsDroppedOversize();

    long getEventsDroppedUndeliverable();

    long getEventsDroppedShutdown();

    long getEventsDroppedEmpty();

    /** Entry-level re-sends: each time one event is put back for another attempt. */
    long getEventsRetried();

    /** Requests SQS answered with a throttling error. */
    long getRequestsThrottled();

    /** Events whose body or attributes had characters SQS rejects, replaced by U+FFFD. */
    long getEventsSanitized();

    /** Events cut to fit the per-message limit. */
    long getEventsTruncated();

    /**
     * Events delivered through an S3 pointer ({@code largeMessagePolicy=s3}): their body was written
     * to S3 and the pointer message acknowledged by SQS. They are also counted in {@link #getEventsSent()}.
     */
    long getEventsOffloaded();

    /**
     * Events written to S3 by {@code fallback=s3} because SQS could not take them. After a stop,
     * appended == sent + sent to fallback + dropped.
     */
    long getEventsSentToFallback();

    /**
     * SendMessageBatch requests issued to send events, including failed ones. Not counted: the
     * one request without entries that each start sends to ready the connection, which SQS
     * refuses ({@code EmptyBatchRequest}) and stores nothing for.
     */
    long getBatchRequests();

    /** Billed request units: one per started 64 KiB of each request's payload. */
    long getBilledRequestUnits();

    /** Payload bytes (bodies and attributes) of acknowledged events. */
    long getBytesSent();

    /** Events currently held by the appender (buffered, batching, in flight or awaiting retry). */
    long getBufferedEvents();

    /** Bytes currently held by the appender. */
    long getBufferedBytes();

    int getRequestsInFlight();

    /** Unexpected failures inside the dispatcher loop, each reported; the loop went on after each. */
    long getDispatcherErrors();

    /** The last error reported, or an empty string. */
    String getLastError();

    /** Epoch milliseconds of the last error, or 0. */
    long getLastErrorTime();
}
