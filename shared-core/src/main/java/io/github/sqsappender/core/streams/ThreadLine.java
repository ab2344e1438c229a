package io.github.sqsappender.core.streams;

import java.nio.charset.Charset;

/**
 * One thread's line splitter for one capture. It holds neither the thread nor the capture: the
 * capture keys it by a weak reference to the thread, so a thread's end frees it; its splitter emits
 * to whichever capture is writing at the moment, and to none in between.
 */
final class ThreadLine {
    private final LineSplitter splitter;
    private StreamCapture target; // only during a write or flush, under that capture's lock
    /** The writer's name at its last write: a line is the thread's as it was named when it printed. */
    private String writerName;

    ThreadLine(Charset charset) {
        this.splitter = new LineSplitter(charset, line -> target.emit(line, writerName));
    }

    /** Returns true if part of a line is left. */
    boolean write(StreamCapture capture, String writer, byte[] bytes, int off, int len) {
        target = capture;
        writerName = writer;
        try {
            splitter.write(bytes, off, len);
            return splitter.hasPartial();
        } finally {
            target = null;
        }
    }

    void flushPartial(StreamCapture capture) {
        target = capture;
        try {
            splitter.flushPartial();
        } finally {
            target = null;
        }
    }
}
