package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.Compression;
import io.github.sqsappender.core.Deduplication;
import io.github.sqsappender.core.SqsAppenderConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Many events per SQS message ({@code packing=ndjson}). Events go into an open pack (one per
 * message group on a FIFO queue, so a pack holds one group, in log order); a pack closes when the
 * next record would take it past the pack limit — {@code maxPackBytes}, capped by the queue's
 * per-message limit, counting the body after compression and the attributes — or when its oldest
 * event has waited {@code lingerMs}, or at once when a flush or stop is pending. An event whose
 * record alone would not fit an empty pack is sent as an ordinary message of its own, under the
 * large-message policy (after the open pack of its group, so order holds).
 *
 * <p>With gzip, the compressed size is known only after compressing: a pack collects records up to
 * the limit times the compression ratio seen so far (with a margin), then compresses; if the
 * result is too large, a smaller prefix is compressed and the rest stays open. Compression never
 * makes a pack larger than its records: for incompressible records the pack is sent uncompressed
 * (without {@code Content-Encoding}), so the body never needs more memory than the events' own
 * buffer room. Compression runs here, on the dispatcher thread, never on the callers'.
 *
 * <p>Dispatcher thread only.
 */
final class PackAssembler implements MessageAssembler {

    private static final double MARGIN = 0.9;
    /** The most raw text one gzip'ed pack gathers, whatever the ratio (the reader accepts 64 MiB). */
    static final long MAX_RAW_PACK_BYTES = 16L * 1024 * 1024;

    private final MessageEncoder encoder;
    private final int maxPackBytes;
    private final long lingerNanos;
    private final boolean gzip;
    private final boolean fifo;
    private final boolean uniqueDeduplication;
    private final String deduplicationPrefix = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "-";
    private long deduplicationSequence;
    private final Map<String, OpenPack> open = new LinkedHashMap<>();
    private final ArrayDeque<OutgoingMessage> ready = new ArrayDeque<>();
    private double ratio = 3.0; // raw bytes per encoded byte, learned from each gzip'ed pack

    /** The events of one pack being filled. */
    private static final class OpenPack {
        final List<IntakeEvent> events = new ArrayList<>();
        long[] sequences = new long[16];
        long heldBytes;
        long rawBytes = -1; // UTF-8 bytes of the records joined by '\n'

        void add(IntakeEvent event, long sequence) {
            if (events.size() == sequences.length) {
                sequences = Arrays.copyOf(sequences, sequences.length * 2);
            }
            sequences[events.size()] = sequence;
            events.add(event);
            heldBytes += event.budgetBytes();
            rawBytes += event.packedBytes();
        }

        long oldest() {
            return events.get(0).enqueuedAtNanos();
        }
    }

    PackAssembler(SqsAppenderConfig config, MessageEncoder encoder) {
        this.encoder = encoder;
        this.maxPackBytes = config.maxPackBytes();
        this.lingerNanos = config.lingerMs() * 1_000_000L;
        this.gzip = config.compression() == Compression.GZIP;
        this.fifo = config.isFifo();
        this.uniqueDeduplication = config.deduplication() == Deduplication.UNIQUE;
    }

    @Override
    public OutgoingMessage next(Intake intake, Ledger ledger, int maxMessageBytes, long now, boolean urgent) {
        int limit = Math.min(maxPackBytes, maxMessageBytes);
        IntakeItem item;
        while (ready.isEmpty() && (item = intake.poll()) != null) {
            if (item instanceof FlushMarker marker) {
                ledger.registerFlush(marker);
            } else {
                add((IntakeEvent) item, ledger, limit, maxMessageBytes);
            }
        }
        if (ready.isEmpty()) {
            boolean due = urgent || intake.hasPendingFlush() || ledger.hasActiveFlushes();
            Iterator<OpenPack> it = open.values().iterator();
            while (it.hasNext()) {
                OpenPack pack = it.next();
                if (due || now - pack.oldest() >= lingerNanos) {
                    it.remove();
                    closeAll(pack, ledger, limit);
                }
            }
        }
        return ready.poll();
    }

    private void add(IntakeEvent event, Ledger ledger, int limit, int maxMessageBytes) {
        long sequence = ledger.admit(event);
        String key = fifo ? event.groupId() : "";
        OpenPack pack = open.get(key);
        int overhead = PackEncoder.MAX_PACK_ATTRIBUTE_BYTES + PackEncoder.constantBytes(event.attributes());
        if (event.packedBytes() == 0 || event.packedBytes() - 1 + overhead > limit) { // would not fit an empty pack
            if (pack != null) {
                open.remove(key);
                closeAll(pack, ledger, limit);
            }
            OutgoingMessage alone = SingleMessageAssembler.alone(event, sequence, ledger, encoder, maxMessageBytes);
            if (alone != null) {
                ready.add(alone);
            }
            return;
        }
        if (pack != null && !gzip && pack.rawBytes + event.packedBytes() + overhead > limit) {
            open.remove(key);
            closeAll(pack, ledger, limit);
            pack = null;
        }
        if (pack == null) {
            pack = new OpenPack();
            open.put(key, pack);
        }
        pack.add(event, sequence);
        if (gzip && pack.rawBytes + overhead >= Math.min(MAX_RAW_PACK_BYTES, limit * ratio * MARGIN)) {
            open.remove(key);
            OpenPack rest = closeGzip(pack, ledger, limit);
            if (rest != null) {
                open.put(key, rest);
            }
        }
    }

    /** Closes {@code pack} completely (a flush, the linger, or the next record would not fit). */
    private void closeAll(OpenPack pack, Ledger ledger, int limit) {
        OpenPack rest = pack;
        while (rest != null) {
            rest = gzip ? closeGzip(rest, ledger, limit) : closeUncompressed(rest, rest.events.size(), ledger);
        }
    }

    /**
     * Emits the first {@code count} events of {@code pack} as one uncompressed pack (their records
     * fit the limit by construction); returns the rest as a new open pack, or null.
     */
    private OpenPack closeUncompressed(OpenPack pack, int count, Ledger ledger) {
        byte[] text = PackEncoder.text(pack.events, 0, count);
        emit(pack, count, new String(text, StandardCharsets.UTF_8), text.length, false, ledger);
        return rest(pack, count);
    }

    /** Compresses as much of {@code pack} as fits; returns what stays open, or null. */
    private OpenPack closeGzip(OpenPack pack, Ledger ledger, int limit) {
        int count = pack.events.size();
        int overhead = PackEncoder.MAX_PACK_ATTRIBUTE_BYTES + PackEncoder.constantBytes(pack.events.get(0).attributes());
        while (true) {
            long raw = PackEncoder.textBytes(pack.events, 0, count);
            String encoded = PackEncoder.gzipBase64(PackEncoder.text(pack.events, 0, count));
            if (encoded.length() > raw) { // incompressible: send records as they are, as many as fit
                return closeUncompressed(pack, largestUncompressedPrefix(pack, count, limit - overhead), ledger);
            }
            if (encoded.length() + overhead <= limit) {
                ratio = 0.7 * ratio + 0.3 * ((double) raw / encoded.length());
                emit(pack, count, encoded, encoded.length(), true, ledger);
                return rest(pack, count);
            }
            if (count == 1) { // cannot happen: a record that fits raw also fits compressed, as it shrinks
                return closeUncompressed(pack, 1, ledger);
            }
            ratio = Math.max(1.0, (double) raw / encoded.length()); // learn at once, not over several packs
            count = Math.max(1, Math.min(count - 1, (int) (count * MARGIN * (limit - overhead) / encoded.length())));
        }
    }

    private static int largestUncompressedPrefix(OpenPack pack, int count, long room) {
        long bytes = -1;
        for (int i = 0; i < count; i++) {
            bytes += pack.events.get(i).packedBytes();
            if (bytes > room) {
                return Math.max(1, i);
            }
        }
        return count;
    }

    private void emit(OpenPack pack, int count, String body, long bodyBytes, boolean gzipped, Ledger ledger) {
        IntakeEvent first = pack.events.get(0);
        long held = 0;
        for (int i = 0; i < count; i++) {
            held += pack.events.get(i).budgetBytes();
        }
        String deduplicationId = fifo && uniqueDeduplication ? deduplicationPrefix + (++deduplicationSequence) : null;
        WireMessage wire = new WireMessage(body, (int) bodyBytes, PackEncoder.attributes(count, gzipped, first.attributes()),
                first.groupId(), deduplicationId);
        long overhead = wire.sizeBytes() - held;
        if (overhead > 0) {
            // Only a pack of very few events: its attributes (under 100 bytes) outweigh what the
            // events hold. Charged to the budget so memory stays accounted.
            ledger.reserve(Holding.ASSEMBLING, overhead);
            held += overhead;
        }
        ready.add(new OutgoingMessage(wire, gzipped ? OutgoingMessage.Content.GZIP_PACK : OutgoingMessage.Content.PACK, null,
                Arrays.copyOf(pack.sequences, count), held, first.enqueuedAtNanos(), true));
    }

    private static OpenPack rest(OpenPack pack, int count) {
        if (count == pack.events.size()) {
            return null;
        }
        OpenPack rest = new OpenPack();
        for (int i = count; i < pack.events.size(); i++) {
            rest.add(pack.events.get(i), pack.sequences[i]);
        }
        return rest;
    }

    @Override
    public long untilNextDue(long now) {
        if (!ready.isEmpty()) {
            return 0;
        }
        long wait = Dispatcher.UNTIL_WOKEN;
        for (OpenPack pack : open.values()) {
            wait = Math.min(wait, Math.max(0, pack.oldest() + lingerNanos - now));
        }
        return wait;
    }

    @Override
    public void clear() {
        open.clear();
        ready.clear();
    }
}
