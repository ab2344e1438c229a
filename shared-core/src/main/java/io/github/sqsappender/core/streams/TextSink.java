package io.github.sqsappender.core.streams;

import java.io.OutputStream;

/**
 * The byte sink of a {@link CapturingStream}'s inner text stream: everything that reaches it was
 * printed through the stream's text methods, and goes on to the receiver as text, with the
 * judgement of the print call under way. Used under the capturing stream's monitor.
 */
final class TextSink extends OutputStream {

    private final CapturingStream.Receiver receiver;
    /** True while the print call under way is a framework's status report; set by the capturing stream. */
    boolean report;

    TextSink(CapturingStream.Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        receiver.write(b, off, len, null, report);
    }

    @Override
    public void flush() {
        receiver.flush();
    }
}
