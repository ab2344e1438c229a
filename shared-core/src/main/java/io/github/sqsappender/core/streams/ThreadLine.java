package io.github.sqsappender.core.streams;

import java.nio.charset.Charset;

/**
 * One thread's line splitter for one stream. Its splitter emits to whichever capture is writing
 * at the moment, and to none in between, so it holds no capture.
 */
final class ThreadLine {
    private final Thread writer;
    final Charset charset;
    private final LineSplitter splitter;
    private StreamCapture target; // only during a write or flush, under that capture's lock

    ThreadLine(Thread writer, Charset charset) {
        this.writer = writer;
        this.charset = charset;
        this.splitter = new LineSplitter(charset, line -> target.emit(line, this.writer));
    }

    /** Returns true if part of a line is left. */
    boolean write(StreamCapture capture, byte[] bytes, int off, int len) {
        target = capture;
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
