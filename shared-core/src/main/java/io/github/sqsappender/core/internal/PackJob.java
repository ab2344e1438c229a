package io.github.sqsappender.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One closed pack becoming its message body, off the dispatcher thread: its events' records are
 * written (and with gzip, deflated) on the pipeline's pack thread while the dispatcher goes on
 * assembling and sending. Its events become one message, or, with gzip, several in log order when
 * the compressed body would pass the limit.
 *
 * <p>Whatever the events, every one of them ends up in exactly one piece, in order. With gzip every
 * packed piece is one standard gzip member, base64'ed, also when that is larger than its records (a
 * consumer of a gzip queue may rely on it). Events whose gzip'ed body would not fit — a record that
 * fits an empty pack as it is but not once gzip'ed, or incompressible events whose body would take
 * more than the buffer bytes they hold — become pieces {@linkplain Piece#alone() alone}, which the
 * assembler sends as ordinary messages. Created and read by the dispatcher thread,
 * {@link #run} on the pack thread: the pieces are published through a volatile field.
 */
final class PackJob implements Runnable {

    /** A compressed pack is sized against the limit with this margin: the ratio varies from pack to pack. */
    static final double MARGIN = 0.9;

    /** Events {@code [from, to)} of the job as one message body; or one event alone, with no body. */
    record Piece(int from, int to, String body, int bodyBytes, boolean gzipped) {

        /** Event {@code index}, whose record does not fit the limit once gzip'ed: sent unpacked. */
        static Piece alone(int index) {
            return new Piece(index, index + 1, null, 0, false);
        }

        /** True when the event is to be sent as an ordinary, unpacked message. */
        boolean alone() {
            return body == null;
        }
    }

    final List<IntakeEvent> events;
    final long[] sequences;
    private final boolean gzip;
    private final int limit;
    private final int overhead;
    private final Runnable wake;
    private final PackWriter writer;
    private volatile List<Piece> pieces;
    private double learnedRatio; // raw bytes per encoded byte, 0 when nothing was gzip'ed; published by pieces
    private boolean overshot; // a first attempt came out over the limit; published by pieces
    private Throwable failure; // why writing failed, or null; published by pieces

    /**
     * @param events    the pack's events, all packable, in log order
     * @param sequences their ledger sequence numbers
     * @param gzip      true to compress ({@code compression=gzip})
     * @param limit     the most a message may take, body and attributes
     * @param overhead  what the pack's attributes take at most
     * @param wake      run (on the pack thread) once the pieces are ready
     * @param writer    used by {@link #run} only; jobs that share one must run one at a time
     */
    PackJob(List<IntakeEvent> events, long[] sequences, boolean gzip, int limit, int overhead, Runnable wake,
            PackWriter writer) {
        this.events = events;
        this.sequences = sequences;
        this.gzip = gzip;
        this.limit = limit;
        this.overhead = overhead;
        this.wake = wake;
        this.writer = writer;
    }

    @Override
    public void run() {
        try {
            pieces = gzip ? compressed() : uncompressed(0, writer);
        } catch (Throwable t) { // out of memory while writing: the dispatcher sends the records as they are
            failure = t;
            pieces = List.of();
        } finally {
            wake.run();
        }
    }

    /** True once {@link #pieces()} is ready. */
    boolean isDone() {
        return pieces != null;
    }

    /**
     * The messages, covering every event in order; records sent as they are if writing failed.
     * Dispatcher thread, once {@link #isDone()}.
     */
    List<Piece> pieces() {
        List<Piece> done = pieces;
        return done.isEmpty() ? uncompressed(0, null) : done;
    }

    /**
     * Why writing the body on the pack thread failed (its records then go as they are, written on
     * the dispatcher), or null. Once {@link #isDone()}.
     */
    Throwable failure() {
        return failure;
    }

    /** The compression ratio this job saw (raw bytes per encoded byte), or 0 when it gzip'ed nothing. Once {@link #isDone()}. */
    double learnedRatio() {
        return learnedRatio;
    }

    /** True when the pack, compressed, came out over the limit (the ratio it was closed by was too high). Once {@link #isDone()}. */
    boolean overshot() {
        return overshot;
    }

    private List<Piece> compressed() {
        List<Piece> out = new ArrayList<>(2);
        int from = 0;
        int count = events.size();
        while (from < count) {
            int n = count - from;
            while (true) {
                long raw = PackEncoder.textBytes(events, from, from + n);
                String encoded = writer.gzipBase64(events, from, from + n, limit - overhead);
                if (encoded == null) { // stopped past the room
                    if (n > 1) {
                        double soFar = writer.ratioSoFar(); // never below the true ratio; below 1 when incompressible
                        learnedRatio = soFar;
                        overshot = true;
                        n = Math.max(1, Math.min(n - 1, (int) (n * MARGIN * (limit - overhead) * soFar / raw)));
                        continue;
                    }
                    out.add(Piece.alone(from)); // fits as it is, not gzip'ed: an ordinary message of its own
                    from += 1;
                    break;
                }
                learnedRatio = (double) raw / encoded.length(); // it fits: the writer stops past the room
                if (encoded.length() > heldBytes(from, from + n)) {
                    // Incompressible and large (over about 1 KB an event): the gzip'ed body would
                    // take more memory than its events hold, passing maxBufferBytes. They go as
                    // ordinary messages, each within its own room.
                    for (int i = from; i < from + n; i++) {
                        out.add(Piece.alone(i));
                    }
                } else {
                    out.add(new Piece(from, from + n, encoded, encoded.length(), true));
                }
                from += n;
                break;
            }
        }
        return out;
    }

    /**
     * The events from {@code from} on, their records as they are, as many per piece as fit; with
     * {@code writer} null (the dispatcher's fallback) in arrays of their own.
     */
    private List<Piece> uncompressed(int from, PackWriter writer) {
        List<Piece> out = new ArrayList<>(1);
        while (from < events.size()) {
            int fit = largestUncompressedPrefix(from, events.size(), limit - overhead);
            out.add(uncompressedPiece(from, from + fit, writer));
            from += fit;
        }
        return out;
    }

    private Piece uncompressedPiece(int from, int to, PackWriter writer) {
        int bytes = (int) PackEncoder.textBytes(events, from, to);
        String text = writer != null ? writer.text(events, from, to)
                : new String(PackEncoder.text(events, from, to), StandardCharsets.UTF_8);
        return new Piece(from, to, text, bytes, false);
    }

    /** What events {@code [from, to)} hold of the buffer's bytes. */
    private long heldBytes(int from, int to) {
        long held = 0;
        for (int i = from; i < to; i++) {
            held += events.get(i).budgetBytes();
        }
        return held;
    }

    /** How many events from {@code from} fit {@code room} bytes as records; at least one. */
    private int largestUncompressedPrefix(int from, int to, long room) {
        long bytes = -1;
        for (int i = from; i < to; i++) {
            bytes += events.get(i).packedBytes();
            if (bytes > room) {
                return Math.max(1, i - from);
            }
        }
        return to - from;
    }
}
