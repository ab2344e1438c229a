package io.github.sqsappender.core.streams;

import java.io.FilterOutputStream;
import java.io.PrintStream;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * One capture per standard stream per JVM ({@code captureStreams}). While an appender owns it,
 * {@code System.out} / {@code System.err} is a stream that first passes every byte on to the stream
 * it replaced — unchanged, in order, under the same lock — then cuts the bytes into lines, one
 * {@link LineSplitter} per writing thread, and hands each line to the owner's {@link LineSink}.
 * Writes from logging frameworks and from this appender pass through uncaptured ({@link ConsoleWriters}).
 * A writing thread keeps its splitter while it lives and the capture is installed, so a captured
 * {@code println} allocates no more than its line.
 *
 * <p>Ownership: {@link #acquire} by an appender's start, {@link #release} by its stop. An appender
 * of the same name takes a running capture over (a reconfiguration that starts the new appender
 * before stopping the old one, as Log4j2 does): partial lines stay where they are, nothing is lost
 * or doubled, and the old appender's release then changes nothing. An appender of another name
 * gets an {@link IllegalStateException}. When the owner releases, its partial lines are emitted to
 * it and the replaced stream is put back — unless something else replaced {@code System.out}
 * meanwhile, which is then left in place (the capturing stream keeps passing bytes through).
 *
 * <p>A framework that stops the old appender before it starts the new one (Logback's reset, then
 * configure) {@link #hold}s the capture instead of releasing it: lines printed in between are kept
 * (up to {@link #MAX_HELD_LINES} lines and {@link #MAX_HELD_CHARS} characters) and handed to whichever appender acquires the stream next, so
 * the reconfiguration loses none. Lines past those bounds are counted as lost to that appender
 * ({@link CaptureOwner#lost}). If no appender acquires the stream within {@link #HOLD_MILLIS}, the hold is
 * released as a stop would be, and the lines it kept are counted as lost to the appender that held it.
 *
 * <p>The capturing stream's {@code close()} only flushes: whoever closes it (Log4j2 closes a
 * console or status stream that is not the current {@code System.err}) cannot close the JVM's own.
 * All methods are thread-safe.
 */
public final class StreamCapture {

    private static final Map<StandardStream, StreamCapture> ACTIVE = new EnumMap<>(StandardStream.class);
    /** How long a held capture waits for a successor: far longer than any reconfiguration. */
    static final long HOLD_MILLIS = 10_000;
    /** At most this many lines, and {@link #MAX_HELD_CHARS} characters, are kept for a successor; the rest of a hold reaches the console only. */
    static final int MAX_HELD_LINES = 10_000;
    static final int MAX_HELD_CHARS = 1 << 20;

    private final StandardStream stream;
    private final PrintStream replaced;
    /** Also the capture's lock: one writer at a time through the tee, and owner changes between writes. */
    private final CapturingStream capturing;
    /** For a framework's own holders of the stream ({@link StreamSwapHook}). */
    private final PrintStream passThrough;
    private final java.nio.charset.Charset decoding;
    /**
     * Each writing thread's splitter; guarded by {@link #capturing}. Weak keys, so a thread's end
     * frees its entry, and held by this capture alone (not in the threads, as a {@code ThreadLocal}
     * would be), so nothing of it outlives the capture: a web application's undeploy leaves no
     * splitter in the container's pooled threads to pin its class loader.
     */
    private final Map<Thread, ThreadLine> lines = new WeakHashMap<>();
    /** The threads' lines holding part of a line, for a flush from another thread, also after the thread ended; guarded by {@link #capturing}. */
    private final Set<ThreadLine> partial = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile CaptureOwner owner;
    /** The thread that ends a hold nobody takes; interrupted when a successor takes it. Guarded by ACTIVE. */
    private Thread holdExpiry;

    private StreamCapture(StandardStream stream, CaptureOwner owner) {
        this.stream = stream;
        this.replaced = stream.current();
        this.owner = owner;
        this.decoding = LineSplitter.decodingFor(stream.charset());
        this.capturing = new CapturingStream(new Tee(), stream.charset());
        this.passThrough = new PrintStream(new FilterOutputStream(replaced) {
            @Override
            public void write(byte[] b, int off, int len) {
                replaced.write(b, off, len);
            }

            @Override
            public void close() {
                replaced.flush(); // never closes the JVM's own stream
            }
        }, true, stream.charset());
    }

    /**
     * Makes {@code owner} the receiver of {@code stream}'s lines, installing the capture if needed.
     *
     * @throws IllegalStateException naming {@code captureStreams} when an appender of another name owns it
     */
    public static void acquire(StandardStream stream, CaptureOwner owner) {
        acquire(stream, owner, name -> false);
    }

    /**
     * As {@link #acquire(StandardStream, CaptureOwner)}, also taking the capture over from an appender of
     * another name for which {@code replaced} is true: one the reconfiguration that starts
     * {@code owner} is about to stop (Log4j2 starts the new configuration's appenders first, so a
     * renamed appender would otherwise find its predecessor still owning the stream).
     *
     * @throws IllegalStateException naming {@code captureStreams} when an appender of another name
     *                               that is not being replaced owns it
     */
    public static void acquire(StandardStream stream, CaptureOwner owner, java.util.function.Predicate<String> replaced) {
        long lost = takeOver(stream, owner, replaced);
        if (lost > 0) {
            owner.lost().accept(lost);
        }
    }

    /** {@link #acquire}; the lines a hold it ends could not keep. */
    private static long takeOver(StandardStream stream, CaptureOwner owner, java.util.function.Predicate<String> replaced) {
        synchronized (ACTIVE) {
            StreamCapture active = ACTIVE.get(stream);
            if (active == null) {
                StreamCapture capture = new StreamCapture(stream, owner);
                ACTIVE.put(stream, capture);
                if (owner.swapHook() != null) {
                    owner.swapHook().installing(capture.replaced, capture.passThrough);
                }
                stream.set(capture.capturing);
                return 0;
            }
            synchronized (active.capturing) { // no line is half handed to the old owner
                CaptureOwner current = active.owner;
                if (current.sink() instanceof HeldLines held) { // a reconfiguration's successor, whatever its name
                    held.replayTo(owner.sink());
                    if (active.holdExpiry != null) {
                        active.holdExpiry.interrupt(); // it ends at once: its release no longer matches the owner
                        active.holdExpiry = null;
                    }
                    active.owner = owner;
                    return held.notKept();
                }
                if (!current.isSameAppenderAs(owner) && !replaced.test(current.appenderName())) {
                    throw new IllegalStateException("captureStreams=" + stream.loggerName() + " is invalid: "
                            + stream.loggerName() + " is already captured by appender '" + current.appenderName() + "'");
                }
                active.owner = owner;
                return 0;
            }
        }
    }

    /**
     * Ends {@code owner}'s hold, if it still has it: its partial lines are emitted to it first, then
     * the replaced stream is restored (see the class comment). Does nothing for an owner that was
     * taken over.
     *
     * @return true if {@code owner} still had the capture
     */
    public static boolean release(StandardStream stream, CaptureOwner owner) {
        synchronized (ACTIVE) {
            StreamCapture active = ACTIVE.get(stream);
            if (active == null || active.owner != owner) {
                return false;
            }
            synchronized (active.capturing) {
                active.flushPartialLines();
                active.owner = null;
            }
            ACTIVE.remove(stream);
            if (stream.current() == active.capturing) {
                if (owner.swapHook() != null) {
                    owner.swapHook().restoring(active.passThrough, active.replaced);
                }
                stream.set(active.replaced);
            }
            return true;
        }
    }

    /**
     * Ends {@code owner}'s hold as a reconfiguration does, expecting a successor: its partial lines
     * are emitted to it, then the capture stays in place and keeps what is printed for the next
     * appender to {@link #acquire} it (see the class comment). Does nothing for an owner that was
     * taken over.
     */
    public static void hold(StandardStream stream, CaptureOwner owner) {
        hold(stream, owner, HOLD_MILLIS);
    }

    static void hold(StandardStream stream, CaptureOwner owner, long holdMillis) {
        CaptureOwner holding;
        synchronized (ACTIVE) {
            StreamCapture active = ACTIVE.get(stream);
            if (active == null || active.owner != owner) {
                return;
            }
            HeldLines held = new HeldLines();
            holding = new CaptureOwner(owner.appenderName(), owner.scope(), held, owner.swapHook(), owner.lost());
            synchronized (active.capturing) {
                active.flushPartialLines();
                active.owner = holding;
            }
            Thread expiry = new Thread(() -> {
                try {
                    Thread.sleep(holdMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // taken over (or the JVM is going away): end now
                }
                if (release(stream, holding)) { // nobody took it: what it kept is only on the console
                    // Written under the capture's lock, which the release took after the last write.
                    long lost = held.kept() + held.notKept();
                    if (lost > 0) {
                        owner.lost().accept(lost);
                    }
                }
            }, "sqs-appender-capture-hold-" + stream.loggerName());
            expiry.setDaemon(true);
            active.holdExpiry = expiry;
            expiry.start();
        }
    }

    /** Emits every thread's partial line to {@code owner} if it owns {@code stream}'s capture (a flush). */
    public static void flushPartialLines(StandardStream stream, CaptureOwner owner) {
        StreamCapture active;
        synchronized (ACTIVE) {
            active = ACTIVE.get(stream);
        }
        if (active != null && active.owner == owner) {
            synchronized (active.capturing) {
                active.flushPartialLines();
            }
        }
    }

    /** True while an appender captures {@code stream}. */
    public static boolean isCaptured(StandardStream stream) {
        synchronized (ACTIVE) {
            return ACTIVE.containsKey(stream);
        }
    }

    /**
     * Runs {@code report} so that whatever it prints to a captured stream passes through uncaptured:
     * for this appender's own reports, which a framework's status printer may put on the console.
     * Any thread; reentrant.
     */
    public static <T> T uncaptured(Supplier<T> report) {
        return ConsoleWriters.reporting(report);
    }

    private void flushPartialLines() {
        capturing.flush();
        for (ThreadLine line : partial) {
            line.flushPartial(this);
        }
        partial.clear();
    }

    /** Under the capture's lock. See {@link CapturingStream.Receiver#write}. */
    private void accept(byte[] bytes, int off, int len, Class<?> writer, boolean report) {
        if (owner == null || len == 0 || ConsoleWriters.isOwnWrite()) {
            return;
        }
        if (writer == null ? report : ConsoleWriters.isFrameworkByteWrite(writer)) {
            return;
        }
        Thread writing = Thread.currentThread();
        ThreadLine line = lines.get(writing);
        if (line == null) {
            line = new ThreadLine(decoding);
            lines.put(writing, line);
        }
        if (line.write(this, writing.getName(), bytes, off, len)) {
            partial.add(line);
        } else {
            partial.remove(line);
        }
    }

    void emit(String line, String writerName) {
        CaptureOwner o = owner;
        if (o != null) {
            o.sink().line(stream, line, writerName, System.currentTimeMillis());
        }
    }

    /** The bytes of {@code System.out}: to the replaced stream first, then into lines. */
    private final class Tee implements CapturingStream.Receiver {

        @Override
        public void write(byte[] b, int off, int len, Class<?> writer, boolean report) {
            replaced.write(b, off, len);
            ship(b, off, len, writer, report);
        }

        @Override
        public void writeByte(int b, Class<?> writer) {
            replaced.write(b); // as the replaced stream takes one byte: flushed at a line break only
            ship(new byte[] {(byte) b}, 0, 1, writer, false);
        }

        private void ship(byte[] b, int off, int len, Class<?> writer, boolean report) {
            try {
                accept(b, off, len, writer, report);
            } catch (RuntimeException | LinkageError e) {
                // never into the writer: the bytes reached the console; only the shipping failed
            }
        }

        @Override
        public void flush() {
            replaced.flush();
        }

        @Override
        public boolean checkError() {
            return replaced.checkError();
        }
    }
}
