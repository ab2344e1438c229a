package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.port.S3Put;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.text.Utf8;
import io.github.sqsappender.core.Backoff;
import io.github.sqsappender.core.DropReason;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.WallClock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The S3 fallback ({@code fallback=s3}): events that cannot be delivered to the queue are written
 * to S3 instead of being dropped, as gzip'ed objects of NDJSON records — one JSON string per line,
 * the body each event had or would have had unpacked, every line ending in {@code \n} — at
 * {@code s3KeyPrefix + "fallback/dt=YYYY-MM-DD/hr=HH/HOST-EPOCHMILLIS-UUID.ndjson.gz"} (UTC, the time
 * the object was opened), with {@code Content-Type: application/x-ndjson} and
 * {@code Content-Encoding: gzip}.
 *
 * <p>An object collects events until it holds {@link #MAX_OBJECT_RAW_BYTES} of records (less with a
 * small buffer: a quarter of {@code maxBufferBytes}) or the next message would take it past that or
 * past {@link PackEncoder#MAX_RECORDS} records (what readers accept), until it is {@link #MAX_OBJECT_AGE_NANOS} old,
 * or at once when a flush or stop waits. Records are compressed as they arrive, so an object costs
 * its compressed size; the events keep their buffer room ({@link Holding#FALLBACK}) until S3 has
 * stored the object, then leave as sent to the fallback. At most {@link #MAX_CONCURRENT_UPLOADS}
 * objects are written at once. A failed write is retried with backoff, under the same key, until
 * {@code deliveryTimeoutMs} after its first attempt; a write S3 refuses (no such bucket, access
 * denied) or that times out drops its events as {@code undeliverable}, reported with the key.
 *
 * <p>Dispatcher thread only, except the upload callbacks, which only enqueue and wake it.
 */
final class FallbackWriter implements S3Stage {

    static final long MAX_OBJECT_RAW_BYTES = 8L * 1024 * 1024;
    static final long MAX_OBJECT_AGE_NANOS = 60_000_000_000L;
    static final int MAX_CONCURRENT_UPLOADS = 2;
    static final String CONTENT_TYPE = "application/x-ndjson";
    static final String CONTENT_ENCODING = "gzip";

    private final String bucket;
    private final String keyPrefix;
    private final String host;
    private final long maxObjectRawBytes;
    private final Ledger ledger;
    private final RateLimitedStatus status;
    private final MetricsRecorder metrics;
    private final WallClock wallClock;
    private final S3Writes<Sealed> writes;
    private OpenObject open;

    /** The object being filled: compressed as records arrive. */
    private static final class OpenObject {
        final long openedAt;
        final long openedAtMillis;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        final GZIPOutputStream gzip;
        final Writer text; // UTF-8 into the gzip stream, in small chunks: no full copy of the records
        final List<OutgoingMessage> messages = new ArrayList<>();
        long rawBytes;
        long records;

        OpenObject(long now, long epochMillis) {
            this.openedAt = now;
            this.openedAtMillis = epochMillis;
            try {
                this.gzip = new GZIPOutputStream(bytes, 8192);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // an in-memory stream does not fail
            }
            this.text = new OutputStreamWriter(gzip, StandardCharsets.UTF_8);
        }

        void write(String records, long lineBytes, int count) {
            try {
                text.write(records);
                text.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rawBytes += lineBytes;
            this.records += count;
        }

        byte[] finish() {
            try {
                text.close(); // flushes the writer, finishes and closes the gzip stream
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        void discard() {
            try {
                text.close(); // releases the native deflater now rather than at GC
            } catch (IOException ignored) {
                // in memory: nothing to report
            }
        }
    }

    /** A closed object waiting to be written, or being written. */
    private record Sealed(S3Put put, List<OutgoingMessage> messages) {
        int events() {
            int n = 0;
            for (OutgoingMessage message : messages) {
                n += message.eventCount();
            }
            return n;
        }
    }

    FallbackWriter(SqsAppenderConfig config, S3Store store, String hostName, Backoff backoff, Ledger ledger,
                   RateLimitedStatus status, MetricsRecorder metrics, WallClock wallClock, Runnable wake) {
        this.bucket = config.s3Bucket();
        this.keyPrefix = config.s3KeyPrefix() == null ? "" : config.s3KeyPrefix();
        this.host = keySafe(hostName);
        this.maxObjectRawBytes = Math.max(64 * 1024, Math.min(MAX_OBJECT_RAW_BYTES, config.maxBufferBytes() / 4));
        this.ledger = ledger;
        this.status = status;
        this.metrics = metrics;
        this.wallClock = wallClock;
        this.writes = new S3Writes<>(store, MAX_CONCURRENT_UPLOADS, config.deliveryTimeoutMs() * 1_000_000L, backoff, wake,
                new Client());
    }

    /**
     * Takes over an undeliverable message held in {@code from}: its records go into the open object.
     * Never throws: a message whose records cannot be produced is dropped ({@code undeliverable}).
     */
    void accept(OutgoingMessage message, Holding from, long now) {
        try {
            String records = message.records();
            long lineBytes = Utf8.encodedLength(records) + 1;
            if (open != null && (open.records + message.eventCount() > PackEncoder.MAX_RECORDS
                    || open.rawBytes + lineBytes > maxObjectRawBytes)) {
                seal(now); // this message would take the object past what readers accept
            }
            if (open == null) {
                open = new OpenObject(now, wallClock.currentTimeMillis());
            }
            open.write(records, lineBytes, message.eventCount());
        } catch (RuntimeException e) {
            metrics.error("fallback: cannot write a message's records: " + e, wallClock.currentTimeMillis());
            status.error("s3-fallback-records", "An undeliverable message could not be written to the S3 fallback ("
                    + e + "); counted as undeliverable", e);
            ledger.dropped(message, from, DropReason.UNDELIVERABLE);
            return;
        }
        ledger.move(message, from, Holding.FALLBACK);
        open.messages.add(message.withoutContent());
        if (open.rawBytes >= maxObjectRawBytes) {
            seal(now);
        }
    }

    /**
     * Settles finished writes, closes the open object when it is old enough (or at once when
     * {@code urgent}: a flush or stop waits), and starts the writes that are due.
     */
    @Override
    public void poll(long now, StopPlan.Phase phase, boolean urgent) {
        settle(now);
        // Urgent (a flush or stop waits): close the open object at once, but only while no earlier
        // object is still waiting or being written, so a flush that stays registered through an
        // outage cannot turn the fallback into one object per event.
        if (open != null && ((urgent && writes.isEmpty()) || now - open.openedAt >= MAX_OBJECT_AGE_NANOS)) {
            seal(now);
        }
        writes.poll(now);
    }

    /** Settles finished writes only (starts nothing): for the stop's deadline. */
    @Override
    public void settle(long now) {
        writes.settle(now);
    }

    private void seal(long now) {
        OpenObject object = open;
        open = null;
        writes.add(new Sealed(new S3Put(bucket, key(object.openedAtMillis), object.finish(), CONTENT_TYPE, CONTENT_ENCODING),
                object.messages), now);
    }

    /** {@code PREFIX fallback/dt=YYYY-MM-DD/hr=HH/HOST-EPOCHMILLIS-UUID.ndjson.gz}, in UTC. */
    String key(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%sfallback/dt=%04d-%02d-%02d/hr=%02d/%s-%d-%s.ndjson.gz", keyPrefix,
                t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), host, epochMillis, UUID.randomUUID());
    }

    /** What an object's success, retry and failure mean for its events. */
    private final class Client implements S3Writes.Client<Sealed> {

        @Override
        public S3Put firstAttempt(Sealed object) {
            return object.put();
        }

        @Override
        public void stored(Sealed object, long firstAttemptAt, long now) {
            for (OutgoingMessage message : object.messages()) {
                ledger.sentToFallback(message, Holding.FALLBACK);
            }
        }

        @Override
        public void retrying(Sealed object, S3Put put, SendFailure failure) {
            metrics.error("S3 fallback write to " + put.location() + " failed: " + failure.getMessage(), wallClock.currentTimeMillis());
            status.warn("s3-fallback:" + failure.code(), "Writing " + object.events() + " undeliverable events to "
                    + put.location() + " failed (" + failure.getMessage() + "); retrying with backoff", null);
        }

        @Override
        public void gaveUp(Sealed object, S3Put put, SendFailure failure, int attempts, long now) {
            metrics.error("S3 fallback write to " + put.location() + " failed: " + failure.getMessage(), wallClock.currentTimeMillis());
            status.error("s3-fallback-lost:" + failure.code(), object.events() + " undeliverable events were not written to "
                    + put.location() + " either (" + failure.getMessage() + (failure.retryable() ? ", gave up after "
                    + attempts + " attempts within deliveryTimeoutMs" : "") + "); counted as undeliverable", null);
            for (OutgoingMessage message : object.messages()) {
                ledger.dropped(message, Holding.FALLBACK, DropReason.UNDELIVERABLE);
            }
        }
    }

    /** Nanoseconds until the open object is due to close or a write is due to start. */
    @Override
    public long untilNextDue(long now) {
        long wait = Dispatcher.UNTIL_WOKEN;
        if (open != null) {
            wait = Math.max(0, open.openedAt + MAX_OBJECT_AGE_NANOS - now);
        }
        return Math.min(wait, writes.untilNextDue(now));
    }

    /** Forgets everything (the ledger has abandoned it). */
    @Override
    public void clear() {
        if (open != null) {
            open.discard();
            open = null;
        }
        writes.clear();
    }

    /** Host names may hold characters that make awkward keys; keep letters, digits, '.', '_' and '-'. */
    static String keySafe(String hostName) {
        StringBuilder sb = new StringBuilder(hostName.length());
        for (int i = 0; i < hostName.length() && sb.length() < 64; i++) {
            char c = hostName.charAt(i);
            sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                    || c == '_' ? c : '_');
        }
        return sb.length() == 0 ? "host" : sb.toString();
    }
}
