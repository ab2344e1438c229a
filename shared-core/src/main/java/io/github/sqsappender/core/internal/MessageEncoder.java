package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.text.BodySanitizer;
import io.github.sqsappender.core.text.JsonRecord;
import io.github.sqsappender.core.text.MessageAttribute;
import io.github.sqsappender.core.text.Truncator;
import io.github.sqsappender.core.text.Utf8;
import io.github.sqsappender.core.AttributeSpec;
import io.github.sqsappender.core.Deduplication;
import io.github.sqsappender.core.DropReason;
import io.github.sqsappender.core.EventAccessor;
import io.github.sqsappender.core.LargeMessagePolicy;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.Ticker;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a formatted log event into an {@link IntakeEvent} on the application thread: sanitizes the
 * body and attributes (only characters SQS accepts), computes the SQS size once, and applies the
 * large-message policy against the largest limit that can apply before the queue's own limit is
 * known. {@link #fit} applies the policy again on the dispatcher once the queue's limit is known.
 *
 * <p>Thread-safe; {@link #encode} is called concurrently by application threads.
 */
public final class MessageEncoder {

    private static final int FIFO_ID_MAX_CHARS = 128; // SQS: MessageGroupId / DeduplicationId <= 128 chars

    private final List<AttributeSpec> attributeSpecs;
    private final boolean fifo;
    private final boolean packing;
    private final boolean uniqueDeduplication;
    private final LargeMessagePolicy largeMessagePolicy;
    private final int callerSideLimit;
    private final long maxBufferBytes;
    private final int maxPackBytes;
    private final String hostName;
    private final Ticker ticker;
    private final MetricsRecorder metrics;

    public MessageEncoder(SqsAppenderConfig config, String hostName, Ticker ticker, MetricsRecorder metrics) {
        this.attributeSpecs = config.messageAttributes();
        this.fifo = config.isFifo();
        this.packing = config.isPacking();
        this.uniqueDeduplication = config.deduplication() == Deduplication.UNIQUE;
        this.largeMessagePolicy = config.largeMessagePolicy();
        this.callerSideLimit = config.effectiveMaxMessageBytesUpperBound();
        this.maxBufferBytes = config.maxBufferBytes();
        this.maxPackBytes = config.maxPackBytes();
        this.hostName = hostName;
        this.ticker = ticker;
        this.metrics = metrics;
    }

    /**
     * Encodes one event. Never throws for any body content.
     *
     * @param body the formatted event (null is treated as empty)
     * @return the message, or null when the event was dropped (already counted, reason
     *         {@code empty} or {@code oversize})
     */
    public <E> IntakeEvent encode(String body, E event, EventAccessor<E> accessor) {
        return encode(body, event, accessor, ticker.read());
    }

    /**
     * Encodes one event that arrived at {@code arrivedAt} (ticker time; see {@code Intake.arrivalTime}).
     * Otherwise as {@link #encode(String, Object, EventAccessor)}.
     */
    public <E> IntakeEvent encode(String body, E event, EventAccessor<E> accessor, long arrivedAt) {
        return encode(body, event, accessor, arrivedAt, true);
    }

    /**
     * As {@link #encode(String, Object, EventAccessor, long)}; with {@code severityCounts} false
     * the event is ordinary whatever its level: it never uses the share of the buffer kept for
     * WARN and ERROR events (a captured line: what a program prints to stderr is not an error
     * report, and a program printing heavily must not crowd out the application's real errors).
     */
    public <E> IntakeEvent encode(String body, E event, EventAccessor<E> accessor, long arrivedAt,
                                  boolean severityCounts) {
        if (body == null || body.isEmpty()) {
            metrics.dropped(DropReason.EMPTY);
            return null;
        }
        String cleanBody = body;
        int bodyBytes;
        int extraBytes = -1; // what the record adds: measured with the body when packing, in the same pass
        if (packing) {
            long measured = JsonRecord.measure(body);
            bodyBytes = measured < 0 ? -1 : (int) (measured >>> 32);
            extraBytes = measured < 0 ? -1 : (int) measured;
        } else {
            bodyBytes = Utf8.encodedLengthIfValid(body);
        }
        boolean sanitized = bodyBytes < 0;
        if (sanitized) {
            cleanBody = BodySanitizer.sanitize(body);
            bodyBytes = Utf8.encodedLength(cleanBody);
        }
        List<MessageAttribute> attributes;
        if (attributeSpecs.isEmpty()) {
            attributes = List.of();
        } else {
            attributes = new ArrayList<>(attributeSpecs.size());
            for (AttributeSpec spec : attributeSpecs) {
                String value = attributeValue(spec, event, accessor);
                if (value == null || value.isEmpty()) {
                    continue; // SQS rejects empty attribute values; a missing MDC key is simply absent
                }
                String cleanValue = BodySanitizer.sanitize(value);
                sanitized |= cleanValue != value;
                attributes.add(new MessageAttribute(spec.attributeName(), spec.dataType(), cleanValue));
            }
        }
        if (sanitized) {
            metrics.sanitized();
        }
        String groupId = fifo ? fifoId(accessor.messageGroupId(event)) : null;
        boolean important = severityCounts && accessor.isWarnOrMoreSevere(event);
        if (packing && bodyBytes + MessageAttribute.sizeBytes(attributes) <= callerSideLimit) {
            // The common case, built at once as packable: it fits and needs no policy.
            if (extraBytes < 0) {
                extraBytes = JsonRecord.extraBytes(cleanBody);
            }
            if (fitsAPack(bodyBytes, extraBytes, attributes)) {
                IntakeEvent packable = IntakeEvent.packable(cleanBody, bodyBytes, extraBytes, attributes, groupId,
                        important, false, arrivedAt);
                if (admissible(packable)) {
                    return packable;
                }
                metrics.dropped(DropReason.OVERSIZE);
                return null;
            }
        }
        IntakeEvent message = new IntakeEvent(cleanBody, bodyBytes, attributes, groupId, important, false, arrivedAt);
        IntakeEvent fitted = fit(message, callerSideLimit);
        if (fitted == null) {
            metrics.dropped(DropReason.OVERSIZE);
            return null;
        }
        return packing ? packable(fitted) : fitted;
    }

    /**
     * With packing, an event whose record can fit a pack is marked packable with its record's size
     * (the pack thread writes the record); a larger one is sent on its own.
     */
    private IntakeEvent packable(IntakeEvent event) {
        int extraBytes = JsonRecord.extraBytes(event.body());
        return fitsAPack(event.bodyBytes(), extraBytes, event.attributes()) ? event.packable(extraBytes) : event;
    }

    /** True when the record (a body of {@code bodyBytes} plus {@code extraBytes}) fits an empty pack. */
    private boolean fitsAPack(int bodyBytes, int extraBytes, List<MessageAttribute> attributes) {
        return (long) bodyBytes + extraBytes + PackEncoder.MAX_PACK_ATTRIBUTE_BYTES + MessageAttribute.sizeBytes(attributes)
                <= maxPackBytes;
    }

    /**
     * Applies the large-message policy for a per-message {@code limit}: returns the message
     * unchanged when it fits, a truncated copy, or null when it cannot be sent (the caller counts
     * it as {@code oversize}). Safe from any thread.
     */
    public IntakeEvent fit(IntakeEvent message, int limit) {
        IntakeEvent fitted = fitTheQueue(message, limit);
        // One the buffer could never admit, even empty, is oversize too (a small maxBufferBytes): as
        // an overflow it would be refused every time, and under overflowPolicy=block waited for in vain.
        return fitted != null && admissible(fitted) ? fitted : null;
    }

    /** True when an empty buffer would admit {@code event} (a small {@code maxBufferBytes} may not). */
    private boolean admissible(IntakeEvent event) {
        return event.budgetBytes() <= BufferBudget.admissibleBytes(maxBufferBytes, event.important());
    }

    private IntakeEvent fitTheQueue(IntakeEvent message, int limit) {
        if (message.sizeBytes() <= limit) {
            return message;
        }
        if (largeMessagePolicy == LargeMessagePolicy.S3) {
            return message; // offloaded on the dispatcher, whatever the queue's limit
        }
        if (largeMessagePolicy == LargeMessagePolicy.TRUNCATE) {
            String cut = Truncator.truncate(message.body(), message.bodyBytes(), limit - message.attributeBytes());
            if (cut != null) {
                if (!message.truncated()) {
                    metrics.truncated();
                }
                return message.withTruncatedBody(cut);
            }
        }
        return null;
    }

    /**
     * The deduplication id of a new FIFO message under {@code deduplication=unique}
     * ({@link DeduplicationIds}), else null. Dispatcher thread: drawing one takes a lock the
     * application's threads must not wait for.
     */
    String newDeduplicationId() {
        return fifo && uniqueDeduplication ? DeduplicationIds.next() : null;
    }

    /** True with {@code largeMessagePolicy=s3}: events over the queue's limit go to S3 and a pointer is sent. */
    boolean offloadsToS3() {
        return largeMessagePolicy == LargeMessagePolicy.S3;
    }

    private <E> String attributeValue(AttributeSpec spec, E event, EventAccessor<E> accessor) {
        switch (spec.field()) {
            case LEVEL: return accessor.level(event);
            case LOGGER: return accessor.loggerName(event);
            case THREAD: return accessor.threadName(event);
            case HOST: return hostName;
            case TIMESTAMP: return Long.toString(accessor.timestampMillis(event));
            case MDC: return accessor.mdc(event, spec.mdcKey());
            default: throw new AssertionError(spec.field());
        }
    }

    /** FIFO ids allow ASCII letters, digits and punctuation, up to 128 characters. */
    private String fifoId(String requested) {
        String raw = requested == null || requested.isEmpty() ? hostName : requested;
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), FIFO_ID_MAX_CHARS));
        for (int i = 0; i < raw.length() && sb.length() < FIFO_ID_MAX_CHARS; i++) {
            char c = raw.charAt(i);
            sb.append(c > 0x20 && c < 0x7F ? c : '_');
        }
        return sb.length() == 0 ? "default" : sb.toString();
    }
}
