package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.port.S3Put;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.text.JsonRecord;
import io.github.sqsappender.core.text.MessageAttribute;
import io.github.sqsappender.core.text.Utf8;
import io.github.sqsappender.core.Backoff;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.WallClock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The S3 offload stage ({@code largeMessagePolicy=s3}): an event too large for the queue is written
 * to S3 as UTF-8 text at {@code s3KeyPrefix} + a random UUID, then sent as the Amazon SQS Extended
 * Client's pointer to it, with the {@code ExtendedPayloadSize} attribute.
 *
 * <p>The event keeps its buffer room ({@link Holding#UPLOADING}, then as the pointer message until
 * SQS acknowledges it). At most {@code min(4, maxInFlight)} uploads run at once (one on a FIFO
 * queue, where later messages wait for the pointer so the group's order holds). A failed upload is
 * retried with the pipeline's backoff, under the same key, until {@code deliveryTimeoutMs} after its
 * first attempt; then the event is undeliverable (and goes to the fallback, if one is configured).
 *
 * <p>Dispatcher thread only, except the upload callbacks, which only enqueue and wake it.
 */
final class Offloader implements S3Stage {

    /** The attribute both Extended Clients (Java 2.x, Python) and Powertools read. */
    static final String PAYLOAD_SIZE_ATTRIBUTE = "ExtendedPayloadSize";
    static final String POINTER_CLASS = "software.amazon.payloadoffloading.PayloadS3Pointer";
    static final int MAX_CONCURRENT_UPLOADS = 4;

    private final String bucket;
    private final String keyPrefix;
    private final Ledger ledger;
    private final Undeliverable undeliverable;
    private final RateLimitedStatus status;
    private final MetricsRecorder metrics;
    private final WallClock wallClock;
    private final S3Writes<Upload> uploads;
    private final ArrayDeque<OutgoingMessage> ready = new ArrayDeque<>();

    /** One event's body on its way to S3. */
    private static final class Upload {
        final OutgoingMessage message;
        final String key;
        byte[] body; // UTF-8, encoded once for every attempt; charged to the buffer while held

        Upload(OutgoingMessage message, String key) {
            this.message = message;
            this.key = key;
        }
    }

    Offloader(SqsAppenderConfig config, S3Store store, Backoff backoff, Ledger ledger, Undeliverable undeliverable,
              RateLimitedStatus status, MetricsRecorder metrics, WallClock wallClock, Runnable wake) {
        this.bucket = config.s3Bucket();
        this.keyPrefix = config.s3KeyPrefix() == null ? "" : config.s3KeyPrefix();
        this.ledger = ledger;
        this.undeliverable = undeliverable;
        this.status = status;
        this.metrics = metrics;
        this.wallClock = wallClock;
        int maxConcurrent = config.isFifo() ? 1 : Math.max(1, Math.min(MAX_CONCURRENT_UPLOADS, config.maxInFlight()));
        this.uploads = new S3Writes<>(store, maxConcurrent, config.deliveryTimeoutMs() * 1_000_000L, backoff, wake, new Client());
    }

    /** Takes over a message whose body is to go to S3 ({@link OutgoingMessage#needsOffload()}). */
    void submit(OutgoingMessage message, long now) {
        ledger.move(message, Holding.ASSEMBLING, Holding.UPLOADING);
        uploads.add(new Upload(message, keyPrefix + UUID.randomUUID()), now);
    }

    /** Settles finished uploads and starts those that are due, within the concurrency limit. */
    void poll(long now) {
        uploads.poll(now);
    }

    /** After the stop's cut-over no new upload starts: those events go to the fallback. */
    @Override
    public void poll(long now, StopPlan.Phase phase, boolean urgent) {
        if (phase == StopPlan.Phase.CUT_OVER) {
            uploads.settle(now);
        } else {
            uploads.poll(now);
        }
    }

    @Override
    public void settle(long now) {
        uploads.settle(now);
    }

    /** What an upload's success, retry and failure mean for its event. */
    private final class Client implements S3Writes.Client<Upload> {

        @Override
        public S3Put firstAttempt(Upload upload) {
            upload.body = upload.message.wire().body().getBytes(StandardCharsets.UTF_8);
            ledger.reserve(Holding.UPLOADING, upload.body.length); // the encoded copy is memory held too
            return new S3Put(bucket, upload.key, upload.body, "text/plain; charset=utf-8", null);
        }

        @Override
        public void stored(Upload upload, long firstAttemptAt, long now) {
            releaseBody(upload);
            ledger.move(upload.message, Holding.UPLOADING, Holding.ASSEMBLING);
            ready.add(upload.message.pointingWith(pointer(upload), firstAttemptAt));
        }

        @Override
        public void retrying(Upload upload, S3Put put, SendFailure failure) {
            metrics.error("S3 offload to " + put.location() + " failed: " + failure.getMessage(), wallClock.currentTimeMillis());
            status.warn("s3-offload:" + failure.code(), "Writing an offloaded event to " + put.location() + " failed ("
                    + failure.getMessage() + "); retrying with backoff", null);
        }

        @Override
        public void gaveUp(Upload upload, S3Put put, SendFailure failure, int attempts, long now) {
            metrics.error("S3 offload to " + put.location() + " failed: " + failure.getMessage(), wallClock.currentTimeMillis());
            releaseBody(upload);
            String reason = failure.retryable()
                    ? "Gave up writing its body to " + put.location() + " after " + attempts + " attempts within deliveryTimeoutMs ("
                            + failure.getMessage() + ")"
                    : "S3 refused its body at " + put.location() + ": " + failure.getMessage();
            undeliverable.giveUp(upload.message, Holding.UPLOADING, "S3" + failure.code(), reason, now);
        }
    }

    private void releaseBody(Upload upload) {
        if (upload.body != null) {
            ledger.shrink(Holding.UPLOADING, upload.body.length);
            upload.body = null;
        }
    }

    /** The Extended Client's pointer message for an uploaded body: same attributes and FIFO ids, plus the size. */
    private WireMessage pointer(Upload upload) {
        WireMessage event = upload.message.wire();
        StringBuilder body = new StringBuilder(96 + bucket.length() + upload.key.length());
        body.append("[\"").append(POINTER_CLASS).append("\",{\"s3BucketName\":");
        JsonRecord.append(body, bucket);
        body.append(",\"s3Key\":");
        JsonRecord.append(body, upload.key);
        body.append("}]");
        String text = body.toString();
        List<MessageAttribute> attributes = new ArrayList<>(event.attributes().size() + 1);
        attributes.addAll(event.attributes());
        attributes.add(new MessageAttribute(PAYLOAD_SIZE_ATTRIBUTE, "Number", Integer.toString(event.bodyBytes())));
        return new WireMessage(text, Utf8.encodedLength(text), attributes, event.groupId(), event.deduplicationId());
    }

    /** The next pointer message ready to be batched, or null. */
    OutgoingMessage pollReady() {
        return ready.poll();
    }

    /** True while an upload is pending or its pointer has not been batched yet. */
    boolean isBusy() {
        return !uploads.isEmpty() || !ready.isEmpty();
    }

    /**
     * Nanoseconds until a waiting upload may start; {@link Dispatcher#UNTIL_WOKEN} otherwise. (A
     * finished upload wakes the dispatcher itself; a ready pointer goes with the next batch.)
     */
    @Override
    public long untilNextDue(long now) {
        return uploads.untilNextDue(now);
    }

    /**
     * Hands everything it holds to {@code sink} (the stop's cut-over to the fallback): every upload
     * from {@link Holding#UPLOADING} — a running one is abandoned, its late completion ignored, so
     * a slow upload cannot keep the event from the fallback — and every ready pointer from
     * {@link Holding#ASSEMBLING}. One at a time, so nothing is forgotten if the sink fails.
     */
    void drainTo(MessageSink sink) {
        Upload upload;
        while ((upload = uploads.takeNext()) != null) {
            releaseBody(upload);
            sink.accept(upload.message, Holding.UPLOADING);
        }
        OutgoingMessage pointer;
        while ((pointer = ready.poll()) != null) {
            sink.accept(pointer, Holding.ASSEMBLING);
        }
    }

    /** Forgets everything (the ledger has abandoned it). */
    @Override
    public void clear() {
        uploads.clear();
        ready.clear();
    }

    /** Where a stage hands messages it gives up on, with the state they are held in. */
    interface MessageSink {
        void accept(OutgoingMessage message, Holding from);
    }
}
