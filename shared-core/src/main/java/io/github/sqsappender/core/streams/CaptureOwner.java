package io.github.sqsappender.core.streams;

import java.util.function.LongConsumer;

/**
 * An appender's hold on a standard stream's capture ({@link StreamCapture}): who it is, where its
 * lines go, and what it is told.
 *
 * @param appenderName the appender's name: a successor of the same name takes the capture over
 * @param sink         receives the captured lines
 * @param swapHook     told just before the capture replaces the JVM's stream and just before it
 *                     puts it back (while the old one is still current); may be null
 * @param lost         told how many lines printed during a reconfiguration never reached an
 *                     appender (see {@link StreamCapture}), to count and report them; called
 *                     without the capture's locks held
 */
public record CaptureOwner(String appenderName, LineSink sink, StreamSwapHook swapHook, LongConsumer lost) {

    /** An owner with no swap hook, which nothing is told of lost lines; for tests and tools. */
    public CaptureOwner(String appenderName, LineSink sink) {
        this(appenderName, sink, null, lines -> { });
    }
}
