package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.Compression;
import io.github.sqsappender.core.SqsAppenderConfig;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many events per SQS message ({@code packing=ndjson}). Events go into an open pack (one per
 * message group on a FIFO queue, so a pack holds one group, in log order); a pack closes when the
 * next record would take it past the pack limit — {@code maxPackBytes}, capped by the queue's
 * per-message limit, counting the body after compression and the attributes — or when its oldest
 * event has waited {@code lingerMs}, or at once when a flush or stop is pending. An event whose
 * record alone would not fit an empty pack is sent as an ordinary message of its own, under the
 * large-message policy (after the open pack of its group, so order holds).
 *
 * <p>The application threads have already measured each event's record ({@link IntakeEvent}), so
 * the dispatcher groups events by size alone. A closed pack becomes a {@link PackJob} on the pack
 * thread, which writes the records into the body (and deflates it) while the dispatcher goes on
 * assembling and sending. With gzip, the compressed size is known only after compressing: a pack
 * collects records up to the limit times the compression ratio seen so far (with a margin); if the
 * compressed body would be too large, the job makes two or more messages of it. With gzip every
 * packed message is gzip'ed, also when its records do not compress (the body is then larger than
 * the records: about a tenth for incompressible text, more for a few short records, whose gzip
 * header and trailer the events' room still covers); events whose gzip'ed body would take more
 * than their room go as ordinary messages ({@link PackJob}), and so does a record that fits an
 * empty pack as it is but not gzip'ed, like one too large for any pack.
 * Messages leave in the order their packs closed, whichever job finishes first, so a FIFO group
 * stays in log order.
 *
 * <p>Dispatcher thread only, but for the jobs' {@code run}.
 */
final class PackAssembler implements MessageAssembler {

    /**
     * The most raw text one gzip'ed pack gathers, whatever the ratio: no pack inflates past it (the
     * reader refuses a body that inflates past 17 MiB as a gzip bomb).
     */
    static final long MAX_RAW_PACK_BYTES = 16L * 1024 * 1024;

    private final MessageEncoder encoder;
    private final Executor packThread;
    private final RateLimitedStatus status;
    private final int maxPackBytes;
    private final long lingerNanos;
    private final boolean gzip;
    private final boolean fifo;
    private final Map<String, OpenPack> open = new LinkedHashMap<>();
    /** What closed packs became, in the order they closed: events sent alone, and pack jobs. */
    private final ArrayDeque<Object> closed = new ArrayDeque<>();
    private final ArrayDeque<OutgoingMessage> ready = new ArrayDeque<>();
    private double ratio = 3.0; // raw bytes per encoded byte, learned from each gzip'ed pack
    /** Shared by the jobs run on {@link #packThread}, one at a time. */
    private final PackWriter writer = new PackWriter();
    /** For the jobs the pack thread refused (it is gone, at a stop), run here; from the first such job. */
    private PackWriter dispatcherWriter;

    /** The events of one pack being filled. */
    private static final class OpenPack {
        final List<IntakeEvent> events = new ArrayList<>();
        long[] sequences = new long[16];
        long rawBytes = -1; // bytes of the records joined by '\n'

        void add(IntakeEvent event, long sequence) {
            if (events.size() == sequences.length) {
                sequences = Arrays.copyOf(sequences, sequences.length * 2);
            }
            sequences[events.size()] = sequence;
            events.add(event);
            rawBytes += event.packedBytes();
        }

        long oldest() {
            return events.get(0).enqueuedAtNanos();
        }
    }

    /**
     * @param packThread where closed packs are written (and gzip'ed): the pipeline's pack thread,
     *                   or the caller ({@code Runnable::run}) in tests
     */
    /** @param status where a pack the pack thread failed to write is reported (its events are not lost) */
    PackAssembler(SqsAppenderConfig config, MessageEncoder encoder, Executor packThread, RateLimitedStatus status) {
        this.encoder = encoder;
        this.packThread = packThread;
        this.status = status;
        this.maxPackBytes = config.maxPackBytes();
        this.lingerNanos = config.lingerMs() * 1_000_000L;
        this.gzip = config.compression() == Compression.GZIP;
        this.fifo = config.isFifo();
    }

    @Override
    public OutgoingMessage next(Intake intake, Ledger ledger, int maxMessageBytes, long now, boolean urgent) {
        int limit = Math.min(maxPackBytes, maxMessageBytes);
        takeClosed(ledger, maxMessageBytes);
        IntakeItem item;
        while (ready.isEmpty() && (item = intake.poll()) != null) {
            if (item instanceof FlushMarker marker) {
                ledger.registerFlush(marker);
            } else {
                add((IntakeEvent) item, ledger, limit, maxMessageBytes, intake);
                takeClosed(ledger, maxMessageBytes);
            }
        }
        if (ready.isEmpty()) {
            boolean due = urgent || intake.hasPendingFlush() || ledger.hasActiveFlushes();
            Iterator<OpenPack> it = open.values().iterator();
            while (it.hasNext()) {
                OpenPack pack = it.next();
                if (due || now - pack.oldest() >= lingerNanos) {
                    it.remove();
                    close(pack, ledger, limit, intake);
                }
            }
            takeClosed(ledger, maxMessageBytes);
        }
        return ready.poll();
    }

    private void add(IntakeEvent event, Ledger ledger, int limit, int maxMessageBytes, Intake intake) {
        long sequence = ledger.admit(event);
        String key = fifo ? event.groupId() : "";
        OpenPack pack = open.get(key);
        int overhead = PackEncoder.MAX_PACK_ATTRIBUTE_BYTES + event.attributeBytes();
        if (event.packedBytes() == 0 || event.packedBytes() - 1 + overhead > limit) { // would not fit an empty pack
            if (pack != null) {
                open.remove(key);
                close(pack, ledger, limit, intake);
            }
            OutgoingMessage alone = SingleMessageAssembler.alone(event, sequence, ledger, encoder, maxMessageBytes);
            if (alone != null) {
                closed.add(alone);
            }
            return;
        }
        // Plain: the message limit. Gzip'ed: the raw bound, so no pack inflates past it. Either way
        // at most PackEncoder.MAX_RECORDS (a buffer raised far past its default could pour more tiny
        // events into one pack): what readers accept.
        if (pack != null && (pack.events.size() == PackEncoder.MAX_RECORDS
                || pack.rawBytes + event.packedBytes() + overhead > (gzip ? MAX_RAW_PACK_BYTES : limit))) {
            open.remove(key);
            close(pack, ledger, limit, intake);
            pack = null;
        }
        if (pack == null) {
            pack = new OpenPack();
            open.put(key, pack);
        }
        pack.add(event, sequence);
        if (gzip && pack.rawBytes + overhead >= Math.min(MAX_RAW_PACK_BYTES, limit * ratio * PackJob.MARGIN)) {
            open.remove(key);
            close(pack, ledger, limit, intake);
        }
    }

    /** Closes {@code pack}: its job joins the closed ones, in order. */
    private void close(OpenPack pack, Ledger ledger, int limit, Intake intake) {
        int count = pack.events.size();
        int overhead = PackEncoder.MAX_PACK_ATTRIBUTE_BYTES + pack.events.get(0).attributeBytes();
        long[] sequences = Arrays.copyOf(pack.sequences, count);
        PackJob job = new PackJob(pack.events, sequences, gzip, limit, overhead, intake::wake, writer);
        try {
            packThread.execute(job);
        } catch (RejectedExecutionException | Error e) { // the pack thread is gone (a stop) or cannot start: write it here
            if (dispatcherWriter == null) {
                dispatcherWriter = new PackWriter();
            }
            job = new PackJob(pack.events, sequences, gzip, limit, overhead, intake::wake, dispatcherWriter);
            job.run();
        }
        closed.add(job);
    }

    /** Moves what closed packs became into {@code ready}, in order, up to the first job still running. */
    private void takeClosed(Ledger ledger, int maxMessageBytes) {
        Object head;
        while ((head = closed.peek()) != null) {
            if (head instanceof OutgoingMessage message) {
                ready.add(message);
            } else {
                PackJob job = (PackJob) head;
                if (!job.isDone()) {
                    return;
                }
                closed.poll(); // first: whatever happens below, a job is taken once
                if (job.failure() != null) {
                    status.warn("pack-write", "Writing a pack's body on the pack thread failed (" + job.failure()
                            + "); its " + job.events.size() + " events are sent as plain records, without compression",
                            job.failure());
                }
                if (job.overshot()) {
                    ratio = job.learnedRatio(); // learn at once, not over several packs
                } else if (job.learnedRatio() > 0) {
                    ratio = 0.7 * ratio + 0.3 * job.learnedRatio();
                }
                for (PackJob.Piece piece : job.pieces()) {
                    if (piece.alone()) {
                        OutgoingMessage alone = SingleMessageAssembler.alone(job.events.get(piece.from()),
                                job.sequences[piece.from()], ledger, encoder, maxMessageBytes);
                        if (alone != null) {
                            ready.add(alone);
                        }
                    } else {
                        ready.add(message(job.events, job.sequences, piece.from(), piece.to(), piece.body(),
                                piece.bodyBytes(), piece.gzipped(), ledger));
                    }
                }
                continue;
            }
            closed.poll();
        }
    }

    /** Events {@code [from, to)} of a closed pack as one message with {@code body}. */
    private OutgoingMessage message(List<IntakeEvent> events, long[] sequences, int from, int to, String body,
                                    int bodyBytes, boolean gzipped, Ledger ledger) {
        IntakeEvent first = events.get(from);
        long held = 0;
        boolean beyondAscii = false;
        for (int i = from; i < to; i++) {
            IntakeEvent event = events.get(i);
            held += event.budgetBytes();
            beyondAscii |= event.bodyBytes() != event.body().length();
        }
        String deduplicationId = encoder.newDeduplicationId();
        WireMessage wire = new WireMessage(body, bodyBytes, PackEncoder.attributes(to - from, gzipped, first.attributes()),
                first.groupId(), deduplicationId);
        // A String holds two bytes per char once one char is beyond Latin-1: then a plain pack's
        // body takes twice its length, also for its ASCII events (a gzip'ed body is ASCII).
        long bodyHeap = Math.max(bodyBytes, !gzipped && beyondAscii ? 2L * body.length() : body.length());
        long overhead = bodyHeap + (wire.sizeBytes() - bodyBytes) - held;
        if (overhead > 0) {
            // A pack of very few events, whose attributes (under 100 bytes) outweigh what the
            // events hold, or a body of two bytes per char. Charged to the budget so memory stays
            // accounted.
            ledger.reserve(Holding.ASSEMBLING, overhead);
            held += overhead;
        }
        return new OutgoingMessage(wire, gzipped ? OutgoingMessage.Content.GZIP_PACK : OutgoingMessage.Content.PACK, null,
                Arrays.copyOfRange(sequences, from, to), held, first.enqueuedAtNanos(), true);
    }

    @Override
    public int closedNotTaken() {
        return closed.size() + ready.size();
    }

    @Override
    public long untilNextDue(long now) {
        if (!ready.isEmpty()) {
            return 0;
        }
        Object head = closed.peek();
        if (head != null && (!(head instanceof PackJob job) || job.isDone())) {
            return 0;
        }
        long wait = Dispatcher.UNTIL_WOKEN; // a job still running wakes the dispatcher when done
        for (OpenPack pack : open.values()) {
            wait = Math.min(wait, Math.max(0, pack.oldest() + lingerNanos - now));
        }
        return wait;
    }

    @Override
    public void clear() {
        open.clear();
        closed.clear();
        ready.clear();
    }

    @Override
    public void close() {
        writer.close();
        if (dispatcherWriter != null) {
            dispatcherWriter.close();
        }
    }
}
