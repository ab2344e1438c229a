package io.github.sqsappender.cli;

import java.io.PrintStream;

/**
 * The tool's standard error: the command's bytes pass through as they are ({@link #write(byte[], int, int)}),
 * and each of the tool's own lines ({@link #println(String)}) starts on a line of its own — after a
 * line break when the command left its last line unended — so a message never reads as the end of
 * the command's line. Any thread.
 */
final class OwnLineStream extends PrintStream {

    private final PrintStream console;
    /** Whether the last byte written ended a line; guarded by this stream's lock (PrintStream's own). */
    private boolean atLineStart = true;

    OwnLineStream(PrintStream console) {
        super(console, true);
        this.console = console;
    }

    /** {@code console}, or itself when it is one already. */
    static OwnLineStream of(PrintStream console) {
        return console instanceof OwnLineStream own ? own : new OwnLineStream(console);
    }

    @Override
    public void write(byte[] bytes, int off, int len) {
        synchronized (this) {
            super.write(bytes, off, len);
            if (len > 0) {
                atLineStart = bytes[off + len - 1] == '\n';
            }
        }
    }

    @Override
    public void write(int b) {
        synchronized (this) {
            super.write(b);
            atLineStart = b == '\n';
        }
    }

    @Override
    public void println(String line) {
        synchronized (this) {
            if (!atLineStart) {
                console.println();
            }
            console.println(line); // in the console's own charset
            atLineStart = true;
        }
    }
}
