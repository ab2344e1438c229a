package io.github.sqsappender.core.streams;

import java.util.function.LongConsumer;

/**
 * An appender's hold on a standard stream's capture ({@link StreamCapture}): who it is, where its
 * lines go, and what it is told.
 *
 * @param appenderName the appender's name: a successor of the same name (and scope) takes the
 *                     capture over
 * @param scope        the logging context the appender belongs to (a Log4j2 or Logback
 *                     {@code LoggerContext}), compared by identity; null when unknown. A same-named
 *                     appender of another context (another web application) does not take the
 *                     capture over: it gets the error a second appender gets
 * @param sink         receives the captured lines
 * @param swapHook     told just before the capture replaces the JVM's stream and just before it
 *                     puts it back (while the old one is still current); may be null
 * @param lost         told how many lines printed during a reconfiguration never reached an
 *                     appender (see {@link StreamCapture}), to count and report them; called
 *                     without the capture's locks held
 */
public record CaptureOwner(String appenderName, Object scope, LineSink sink, StreamSwapHook swapHook,
                           LongConsumer lost) {

    /** An owner of no known scope. */
    public CaptureOwner(String appenderName, LineSink sink, StreamSwapHook swapHook, LongConsumer lost) {
        this(appenderName, null, sink, swapHook, lost);
    }

    /** An owner of no known scope, with no swap hook, which nothing is told of lost lines; for tests and tools. */
    public CaptureOwner(String appenderName, LineSink sink) {
        this(appenderName, null, sink, null, lines -> { });
    }

    /** True when {@code other} is this appender again: same name, and same scope unless either is unknown. */
    boolean isSameAppenderAs(CaptureOwner other) {
        return appenderName.equals(other.appenderName) && (scope == null || other.scope == null || scope == other.scope);
    }
}
