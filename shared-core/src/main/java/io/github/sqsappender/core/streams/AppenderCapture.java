package io.github.sqsappender.core.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import io.github.sqsappender.core.SqsPipeline;

/**
 * One appender's {@code captureStreams}: acquires its streams when the appender starts, emits
 * partial lines at a flush, releases the streams when it stops. Lifecycle thread, except
 * {@link #flushPartialLines} (any thread).
 */
public final class AppenderCapture {

    private final Set<StandardStream> streams;
    private final List<StandardStream> owned = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CaptureOwner owner;

    /**
     * @param swapHook see {@link CaptureOwner}; may be null
     * @param lost     counts and reports lines a reconfiguration could not hand on
     *                 ({@link SqsPipeline#capturedLinesLost}); see {@link CaptureOwner}
     */
    public AppenderCapture(String appenderName, Set<StandardStream> streams, LineSink sink, StreamSwapHook swapHook,
                           LongConsumer lost) {
        this(appenderName, null, streams, sink, swapHook, lost);
    }

    /** @param scope the appender's logging context, see {@link CaptureOwner}; may be null */
    public AppenderCapture(String appenderName, Object scope, Set<StandardStream> streams, LineSink sink,
                           StreamSwapHook swapHook, LongConsumer lost) {
        this.streams = streams;
        this.owner = new CaptureOwner(appenderName, scope, sink, swapHook, lost);
    }

    /**
     * Acquires each configured stream; a stream another appender captures is not taken and
     * {@code onError} gets a message naming {@code captureStreams}.
     */
    public void start(Consumer<String> onError) {
        start(onError, name -> false);
    }

    /**
     * As {@link #start(Consumer)}, also taking a stream over from an appender of another name for
     * which {@code replaced} is true: one the reconfiguration that starts this appender will stop
     * ({@link StreamCapture#acquire(StandardStream, CaptureOwner, java.util.function.Predicate)}).
     */
    public void start(Consumer<String> onError, java.util.function.Predicate<String> replaced) {
        List<StandardStream> taken = new ArrayList<>();
        for (StandardStream stream : streams) {
            try {
                StreamCapture.acquire(stream, owner, replaced);
                taken.add(stream);
            } catch (IllegalStateException e) {
                onError.accept(e.getMessage());
            }
        }
        owned.addAll(taken);
    }

    /** Emits every writing thread's unended line (a flush, or the JVM's exit). */
    public void flushPartialLines() {
        for (StandardStream stream : owned) {
            StreamCapture.flushPartialLines(stream, owner);
        }
    }

    /** Emits partial lines and gives the streams back (restored unless a successor took them over). */
    public void stop() {
        for (StandardStream stream : owned) {
            StreamCapture.release(stream, owner);
        }
        owned.clear();
    }

    /**
     * Emits partial lines and keeps the streams captured for the appender a reconfiguration starts
     * next, which gets the lines printed in between ({@link StreamCapture#hold}).
     */
    public void stopForReconfiguration() {
        for (StandardStream stream : owned) {
            StreamCapture.hold(stream, owner);
        }
        owned.clear();
    }
}
