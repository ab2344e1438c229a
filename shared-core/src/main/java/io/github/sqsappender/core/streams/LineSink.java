package io.github.sqsappender.core.streams;

/**
 * Where captured lines go: the appender that owns a capture. Called on the thread that wrote the
 * line (or, for a partial line emitted at a flush or stop, on the thread that asked), while the
 * stream's lock is held: it must not block and must not throw.
 */
@FunctionalInterface
public interface LineSink {

    /**
     * @param stream         which stream the line was written to
     * @param line           the line, without its line break; never empty
     * @param threadName     the name of the thread that wrote it
     * @param epochMillis    when the line ended
     */
    void line(StandardStream stream, String line, String threadName, long epochMillis);
}
