package io.github.sqsappender.core.streams;

import java.util.ArrayList;
import java.util.List;

/** The lines printed while a capture is held, for its successor. Guarded by the capture's lock. */
final class HeldLines implements LineSink {
    private record Held(StandardStream stream, String line, String threadName, long epochMillis) {
    }

    private final List<Held> lines = new ArrayList<>();
    private int chars;
    private long notKept;

    @Override
    public void line(StandardStream stream, String line, String threadName, long epochMillis) {
        if (lines.size() < StreamCapture.MAX_HELD_LINES && chars + line.length() <= StreamCapture.MAX_HELD_CHARS) {
            lines.add(new Held(stream, line, threadName, epochMillis));
            chars += line.length();
        } else {
            notKept++;
        }
    }

    /** Lines printed during the hold that were past its bounds: only on the console. */
    long notKept() {
        return notKept;
    }

    /** Lines kept for a successor and not yet replayed. */
    int kept() {
        return lines.size();
    }

    void replayTo(LineSink sink) {
        for (Held held : lines) {
            sink.line(held.stream(), held.line(), held.threadName(), held.epochMillis());
        }
        lines.clear();
    }
}
