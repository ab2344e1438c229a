package io.github.sqsappender.core.jvm;

import io.github.sqsappender.core.DropReason;
import io.github.sqsappender.core.SqsAppenderMetrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The counters behind {@link SqsAppenderMetrics}. Recording methods are safe from any thread and
 * cost one {@link LongAdder} increment; gauges are read from the buffer and dispatcher on demand.
 */
public final class MetricsRecorder implements SqsAppenderMetrics {

    private static final long BILLING_UNIT_BYTES = 65_536; // SQS bills each 64 KiB chunk as one request

    private final LongAdder appended = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final LongAdder retried = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder sanitized = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder billedUnits = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder dispatcherErrors = new LongAdder();
    private final LongAdder offloaded = new LongAdder();
    private final LongAdder sentToFallback = new LongAdder();
    private volatile String lastError = "";
    private volatile long lastErrorTime;
    private volatile LongSupplier bufferedEvents = () -> 0;
    private volatile LongSupplier bufferedBytes = () -> 0;
    private volatile IntSupplier inFlight = () -> 0;

    public MetricsRecorder() {
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, new LongAdder());
        }
    }

    /** Connects the gauges to the live buffer and dispatcher. */
    public void bindGauges(LongSupplier events, LongSupplier bytes, IntSupplier requestsInFlight) {
        this.bufferedEvents = events;
        this.bufferedBytes = bytes;
        this.inFlight = requestsInFlight;
    }

    public void appended() {
        appended.increment();
    }

    /** Records {@code count} events appended and dropped at once, for {@code reason} (they never reached the buffer). */
    public void appendedAndDropped(long count, DropReason reason) {
        dropped.get(reason).add(count); // first: a reader never sees more appended than accounted for
        appended.add(count);
    }

    /** Records one acknowledged message carrying {@code events} events in {@code payloadBytes}. */
    public void sent(int events, long payloadBytes) {
        sent.add(events);
        messagesSent.increment();
        bytesSent.add(payloadBytes);
    }

    public void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    public void dropped(DropReason reason, long count) {
        dropped.get(reason).add(count);
    }

    public void retried(int entries) {
        retried.add(entries);
    }

    public void throttled() {
        throttled.increment();
    }

    public void sanitized() {
        sanitized.increment();
    }

    /** One event was delivered through an S3 pointer (its body is in S3). */
    public void offloaded() {
        offloaded.increment();
    }

    /** {@code events} events were written to S3 by the fallback. */
    public void sentToFallback(int events) {
        sentToFallback.add(events);
    }

    public void truncated() {
        truncated.increment();
    }

    /** Records one SendMessageBatch request carrying {@code payloadBytes}. */
    public void request(long payloadBytes) {
        requests.increment();
        billedUnits.add(Math.max(1, (payloadBytes + BILLING_UNIT_BYTES - 1) / BILLING_UNIT_BYTES));
    }

    /** An unexpected failure inside the dispatcher loop, which went on. */
    public void dispatcherError(String message, long epochMillis) {
        dispatcherErrors.increment();
        error(message, epochMillis);
    }

    public void error(String message, long epochMillis) {
        lastError = message;
        lastErrorTime = epochMillis;
    }

    @Override public long getEventsAppended() { return appended.sum(); }
    @Override public long getEventsSent() { return sent.sum(); }
    @Override public long getMessagesSent() { return messagesSent.sum(); }

    @Override
    public long getEventsDropped() {
        long total = 0;
        for (LongAdder adder : dropped.values()) {
            total += adder.sum();
        }
        return total;
    }

    /**
     * Dropped events that carried something: every reason but {@code empty} (an empty body is never
     * sent by design, so it is counted and reported but is not a loss a stop or flush answers false for).
     */
    public long eventsLost() {
        return getEventsDropped() - getEventsDroppedEmpty();
    }

    /** Dropped events for one reason. */
    public long getEventsDropped(DropReason reason) { return dropped.get(reason).sum(); }
    @Override public long getEventsDroppedOverflow() { return getEventsDropped(DropReason.OVERFLOW); }
    @Override public long getEventsDroppedOversize() { return getEventsDropped(DropReason.OVERSIZE); }
    @Override public long getEventsDroppedUndeliverable() { return getEventsDropped(DropReason.UNDELIVERABLE); }
    @Override public long getEventsDroppedShutdown() { return getEventsDropped(DropReason.SHUTDOWN); }
    @Override public long getEventsDroppedEmpty() { return getEventsDropped(DropReason.EMPTY); }
    @Override public long getEventsRetried() { return retried.sum(); }
    @Override public long getRequestsThrottled() { return throttled.sum(); }
    @Override public long getEventsSanitized() { return sanitized.sum(); }
    @Override public long getEventsTruncated() { return truncated.sum(); }
    @Override public long getEventsOffloaded() { return offloaded.sum(); }
    @Override public long getEventsSentToFallback() { return sentToFallback.sum(); }
    @Override public long getBatchRequests() { return requests.sum(); }
    @Override public long getBilledRequestUnits() { return billedUnits.sum(); }
    @Override public long getBytesSent() { return bytesSent.sum(); }
    @Override public long getBufferedEvents() { return bufferedEvents.getAsLong(); }
    @Override public long getBufferedBytes() { return bufferedBytes.getAsLong(); }
    @Override public int getRequestsInFlight() { return inFlight.getAsInt(); }
    @Override public long getDispatcherErrors() { return dispatcherErrors.sum(); }
    @Override public String getLastError() { return lastError; }
    @Override public long getLastErrorTime() { return lastErrorTime; }

    /** A one-line summary of the accounting, for the stop report. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(getEventsAppended()).append(" appended, ").append(getEventsSent()).append(" sent");
        if (getMessagesSent() != getEventsSent()) {
            sb.append(" (").append(getMessagesSent()).append(" messages)");
        }
        sb.append(" in ").append(getBatchRequests()).append(" requests");
        if (getEventsOffloaded() > 0) {
            sb.append(" (").append(getEventsOffloaded()).append(" through S3 pointers)");
        }
        if (getEventsSentToFallback() > 0) {
            sb.append(", ").append(getEventsSentToFallback()).append(" sent to the S3 fallback");
        }
        sb.append(", ").append(getEventsDropped()).append(" dropped");
        String separator = " (";
        for (DropReason reason : DropReason.values()) {
            long n = getEventsDropped(reason);
            if (n > 0) {
                sb.append(separator).append(reason.label()).append('=').append(n);
                separator = ", ";
            }
        }
        if (!separator.equals(" (")) {
            sb.append(')');
        }
        return sb.toString();
    }
}
