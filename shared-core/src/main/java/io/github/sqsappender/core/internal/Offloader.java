package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.Backoff;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.WallClock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

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
final class Offloader {

    /** The attribute both Extended Clients (Java 2.x, Python) and Powertools read. */
    static final String PAYLOAD_SIZE_ATTRIBUTE = "ExtendedPayloadSize";
    static final String POINTER_CLASS = "software.amazon.payloadoffloading.PayloadS3Pointer";
    static final int MAX_CONCURRENT_UPLOADS = 4;

    private final S3Store store;
    private final String bucket;
    private final String keyPrefix;
    private final int maxConcurrent;
    private final long deliveryTimeoutNanos;
    private final Backoff backoff;
    private final Ledger ledger;
    private final Undeliverable undeliverable;
    private final RateLimitedStatus status;
    private final MetricsRecorder metrics;
    private final WallClock wallClock;
    private final Runnable wake;
    private final List<Upload> pending = new ArrayList<>(); // in log order
    private final ArrayDeque<OutgoingMessage> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Completion> completed = new ConcurrentLinkedQueue<>();
    private int uploading;

    /** One event's body on its way to S3. */
    private static final class Upload {
        final OutgoingMessage message;
        final String key;
        byte[] body; // UTF-8, encoded once for every attempt; charged to the buffer while held
        int attempts;
        long firstAttemptAt;
        long notBefore;
        boolean running;
        boolean abandoned; // handed to the fallback while running: its completion is ignored

        Upload(OutgoingMessage message, String key, long now) {
            this.message = message;
            this.key = key;
            this.notBefore = now;
        }
    }

    private record Completion(Upload upload, Throwable failure) {
    }

    Offloader(SqsAppenderConfig config, S3Store store, Backoff backoff, Ledger ledger, Undeliverable undeliverable,
              RateLimitedStatus status, MetricsRecorder metrics, WallClock wallClock, Runnable wake) {
        this.store = store;
        this.bucket = config.s3Bucket();
        this.keyPrefix = config.s3KeyPrefix() == null ? "" : config.s3KeyPrefix();
        this.maxConcurrent = config.isFifo() ? 1 : Math.max(1, Math.min(MAX_CONCURRENT_UPLOADS, config.maxInFlight()));
        this.deliveryTimeoutNanos = config.deliveryTimeoutMs() * 1_000_000L;
        this.backoff = backoff;
        this.ledger = ledger;
        this.undeliverable = undeliverable;
        this.status = status;
        this.metrics = metrics;
        this.wallClock = wallClock;
        this.wake = wake;
    }

    /** Takes over a message whose body is to go to S3 ({@link OutgoingMessage#needsOffload()}). */
    void submit(OutgoingMessage message, long now) {
        ledger.move(message, Holding.ASSEMBLING, Holding.UPLOADING);
        pending.add(new Upload(message, keyPrefix + UUID.randomUUID(), now));
    }

    /** Settles finished uploads and starts those that are due, within the concurrency limit. */
    void poll(long now) {
        settle(now);
        for (int i = 0; i < pending.size() && uploading < maxConcurrent; i++) {
            Upload upload = pending.get(i);
            if (!upload.running && upload.notBefore - now <= 0) {
                start(upload, now);
            }
        }
    }

    /** Settles finished uploads only (starts nothing): for the stop's deadline and cut-over. */
    void settle(long now) {
        Completion done;
        while ((done = completed.poll()) != null) {
            uploading--;
            Upload upload = done.upload;
            upload.running = false;
            if (upload.abandoned) {
                continue; // its event went to the fallback; the object, if written, is an orphan
            }
            if (done.failure == null) {
                pending.remove(upload);
                releaseBody(upload);
                ledger.move(upload.message, Holding.UPLOADING, Holding.ASSEMBLING);
                ready.add(upload.message.pointingWith(pointer(upload)));
            } else {
                failed(upload, InFlightRequests.unwrap(done.failure), now);
            }
        }
    }

    private void start(Upload upload, long now) {
        if (upload.attempts == 0) {
            upload.firstAttemptAt = now;
            upload.body = upload.message.wire().body().getBytes(StandardCharsets.UTF_8);
            ledger.reserve(Holding.UPLOADING, upload.body.length); // the encoded copy is memory held too
        }
        upload.attempts++;
        upload.running = true;
        uploading++;
        CompletableFuture<Void> future;
        try {
            future = store.put(new S3Put(bucket, upload.key, upload.body, "text/plain; charset=utf-8", null));
            if (future == null) {
                future = CompletableFuture.failedFuture(new IllegalStateException("the S3 store returned no future"));
            }
        } catch (RuntimeException | LinkageError e) { // e.g. an s3 module of another SDK version
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((ignored, failure) -> {
            completed.add(new Completion(upload, failure));
            wake.run();
        });
    }

    private void releaseBody(Upload upload) {
        if (upload.body != null) {
            ledger.shrink(Holding.UPLOADING, upload.body.length);
            upload.body = null;
        }
    }

    private void failed(Upload upload, SendFailure failure, long now) {
        String location = "s3://" + bucket + "/" + upload.key;
        metrics.error("S3 offload to " + location + " failed: " + failure.getMessage(), wallClock.currentTimeMillis());
        long retryAt = now + backoff.delayNanos(upload.attempts);
        if (failure.retryable() && retryAt - upload.firstAttemptAt <= deliveryTimeoutNanos) {
            upload.notBefore = retryAt;
            status.warn("s3-offload:" + failure.code(), "Writing an offloaded event to " + location + " failed ("
                    + failure.getMessage() + "); retrying with backoff", null);
            return;
        }
        pending.remove(upload);
        releaseBody(upload);
        String reason = failure.retryable()
                ? "Gave up writing its body to " + location + " after " + upload.attempts + " attempts within deliveryTimeoutMs ("
                        + failure.getMessage() + ")"
                : "S3 refused its body at " + location + ": " + failure.getMessage();
        undeliverable.giveUp(upload.message, Holding.UPLOADING, "S3" + failure.code(), reason, now);
    }

    /** The Extended Client's pointer message for an uploaded body: same attributes and FIFO ids, plus the size. */
    private SqsMessage pointer(Upload upload) {
        SqsMessage event = upload.message.wire();
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
        return new SqsMessage(text, Utf8.encodedLength(text), attributes, event.groupId(), event.deduplicationId(),
                event.important(), false, event.enqueuedAtNanos());
    }

    /** The next pointer message ready to be batched, or null. */
    OutgoingMessage pollReady() {
        return ready.poll();
    }

    /** True while an upload is pending or its pointer has not been batched yet. */
    boolean isBusy() {
        return !pending.isEmpty() || !ready.isEmpty();
    }

    /**
     * Nanoseconds until a waiting upload may start; {@link Dispatcher#UNTIL_WOKEN} otherwise. (A
     * finished upload wakes the dispatcher itself; a ready pointer goes with the next batch.)
     */
    long untilNextDue(long now) {
        long wait = Dispatcher.UNTIL_WOKEN;
        if (uploading < maxConcurrent) {
            for (Upload upload : pending) {
                if (!upload.running) {
                    wait = Math.min(wait, Math.max(0, upload.notBefore - now));
                }
            }
        }
        return wait;
    }

    /**
     * Hands everything it holds to {@code sink} (the stop's cut-over to the fallback): every upload
     * from {@link Holding#UPLOADING} — a running one is abandoned, its late completion ignored, so
     * a slow upload cannot keep the event from the fallback — and every ready pointer from
     * {@link Holding#ASSEMBLING}. One at a time, so nothing is forgotten if the sink fails.
     */
    void drainTo(MessageSink sink) {
        while (!pending.isEmpty()) {
            Upload upload = pending.remove(0);
            upload.abandoned = true;
            releaseBody(upload);
            sink.accept(upload.message, Holding.UPLOADING);
        }
        OutgoingMessage pointer;
        while ((pointer = ready.poll()) != null) {
            sink.accept(pointer, Holding.ASSEMBLING);
        }
    }

    /** Forgets everything (the ledger has abandoned it). */
    void clear() {
        pending.clear();
        ready.clear();
    }

    /** Where a stage hands messages it gives up on, with the state they are held in. */
    interface MessageSink {
        void accept(OutgoingMessage message, Holding from);
    }
}
