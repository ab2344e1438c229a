package io.github.sqsappender.core.streams;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One capture per standard stream per JVM ({@code captureStreams}). While an appender owns it,
 * {@code System.out} / {@code System.err} is a stream that first passes every byte on to the stream
 * it replaced — unchanged, in order, under the same lock — then cuts the bytes into lines, one
 * {@link LineSplitter} per writing thread, and hands each line to the owner's {@link LineSink}.
 * Writes from logging frameworks and from this appender pass through uncaptured ({@link ConsoleWriters}).
 *
 * <p>Ownership: {@link #acquire} by an appender's start, {@link #release} by its stop. An appender
 * of the same name takes a running capture over (a reconfiguration that starts the new appender
 * before stopping the old one, as Log4j2 does): partial lines stay where they are, nothing is lost
 * or doubled, and the old appender's release then changes nothing. An appender of another name
 * gets an {@link IllegalStateException}. When the owner releases, its partial lines are emitted to
 * it and the replaced stream is put back — unless something else replaced {@code System.out}
 * meanwhile, which is then left in place (the capturing stream keeps passing bytes through).
 *
 * <p>The capturing stream's {@code close()} only flushes: whoever closes it (Log4j2 closes a
 * console or status stream that is not the current {@code System.err}) cannot close the JVM's own.
 * All methods are thread-safe.
 */
public final class StreamCapture {

    private static final Map<StandardStream, StreamCapture> ACTIVE = new EnumMap<>(StandardStream.class);

    private final StandardStream stream;
    private final PrintStream replaced;
    private final PrintStream capturing;
    private final Map<Thread, LineSplitter> splitters = new ConcurrentHashMap<>();
    private final Object lock = new Object(); // one writer at a time through the tee, and owner changes between writes
    private volatile Owner owner;

    /**
     * An appender's hold on a capture.
     *
     * @param swapHook told just before the capture replaces the JVM's stream and just before it puts
     *                 it back (while the old one is still current); may be null
     */
    public record Owner(String appenderName, LineSink sink, SwapHook swapHook) {
        public Owner(String appenderName, LineSink sink) {
            this(appenderName, sink, null);
        }
    }

    /** Lets an adapter move its framework's own holders of the stream along with a swap (Log4j2's status listener). */
    public interface SwapHook {
        void installing(PrintStream replaced, PrintStream capturing);

        void restoring(PrintStream capturing, PrintStream replaced);
    }

    private StreamCapture(StandardStream stream, Owner owner) {
        this.stream = stream;
        this.replaced = stream.current();
        this.owner = owner;
        this.capturing = new PrintStream(new Tee(), true, stream.charset());
    }

    /**
     * Makes {@code owner} the receiver of {@code stream}'s lines, installing the capture if needed.
     *
     * @throws IllegalStateException naming {@code captureStreams} when an appender of another name owns it
     */
    public static void acquire(StandardStream stream, Owner owner) {
        synchronized (ACTIVE) {
            StreamCapture active = ACTIVE.get(stream);
            if (active == null) {
                StreamCapture capture = new StreamCapture(stream, owner);
                ACTIVE.put(stream, capture);
                if (owner.swapHook() != null) {
                    owner.swapHook().installing(capture.replaced, capture.capturing);
                }
                stream.set(capture.capturing);
                return;
            }
            synchronized (active.lock) { // no line is half handed to the old owner
                Owner current = active.owner;
                if (!current.appenderName().equals(owner.appenderName())) {
                    throw new IllegalStateException("captureStreams=" + stream.loggerName() + " is invalid: "
                            + stream.loggerName() + " is already captured by appender '" + current.appenderName() + "'");
                }
                active.owner = owner;
            }
        }
    }

    /**
     * Ends {@code owner}'s hold, if it still has it: its partial lines are emitted to it first, then
     * the replaced stream is restored (see the class comment). Does nothing for an owner that was
     * taken over.
     */
    public static void release(StandardStream stream, Owner owner) {
        synchronized (ACTIVE) {
            StreamCapture active = ACTIVE.get(stream);
            if (active == null || active.owner != owner) {
                return;
            }
            synchronized (active.lock) {
                active.flushPartialLines();
                active.owner = null;
                active.splitters.clear();
            }
            ACTIVE.remove(stream);
            if (stream.current() == active.capturing) {
                if (owner.swapHook() != null) {
                    owner.swapHook().restoring(active.capturing, active.replaced);
                }
                stream.set(active.replaced);
            }
        }
    }

    /** Emits every thread's partial line to {@code owner} if it owns {@code stream}'s capture (a flush). */
    public static void flushPartialLines(StandardStream stream, Owner owner) {
        StreamCapture active;
        synchronized (ACTIVE) {
            active = ACTIVE.get(stream);
        }
        if (active != null && active.owner == owner) {
            synchronized (active.lock) {
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

    private void flushPartialLines() {
        capturing.flush();
        splitters.values().forEach(LineSplitter::flushPartial);
    }

    private void accept(byte[] bytes, int off, int len) {
        Owner current = owner;
        if (current == null || len == 0 || ConsoleWriters.isCurrentWriteFromLogging()) {
            return;
        }
        Thread writer = Thread.currentThread();
        LineSplitter splitter = splitters.get(writer);
        if (splitter == null) {
            String threadName = writer.getName();
            splitter = new LineSplitter(stream.charset(), line -> {
                Owner o = owner;
                if (o != null) {
                    o.sink().line(stream, line, threadName, System.currentTimeMillis());
                }
            });
            splitters.put(writer, splitter);
        }
        splitter.write(bytes, off, len);
        if (!splitter.hasPartial()) {
            splitters.remove(writer); // ended threads leave nothing behind
        }
    }

    /**
     * The byte path under {@code System.out}: the replaced stream first, then the lines, under the
     * capture's lock, so per-thread splitters and an owner change never interleave with a write.
     */
    private final class Tee extends OutputStream {

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (lock) {
                replaced.write(b, off, len);
                try {
                    accept(b, off, len);
                } catch (RuntimeException | LinkageError e) {
                    // never into the writer: the bytes reached the console; only the shipping failed
                }
            }
        }

        @Override
        public void flush() {
            replaced.flush();
        }

        @Override
        public void close() {
            replaced.flush(); // never closes the JVM's own stream
        }
    }
}
