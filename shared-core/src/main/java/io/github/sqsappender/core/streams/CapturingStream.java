package io.github.sqsappender.core.streams;

import java.io.PrintStream;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What {@code System.out} / {@code System.err} is while captured. It tells the two ways bytes
 * arrive apart, because they need different tests for "is this a logging framework?":
 * <ul>
 *   <li><b>text</b> — {@code print}, {@code println}, {@code printf}, {@code format},
 *       {@code append}: a program's prints, and the frameworks' status reports. Encoded by an inner
 *       stream and judged once per call, at its start, by what the text looks like
 *       ({@link ConsoleWriters#looksLikeReport}), so a report's later lines and its line break are
 *       judged with it;</li>
 *   <li><b>bytes</b> — {@code write}: console appenders, which encode themselves, and copies of
 *       other processes' output (Spark's {@code RedirectThread}). Judged by the class that called
 *       {@code write}.</li>
 * </ul>
 * A console appender that writes while the same thread is inside a text call (a {@code toString()}
 * that logs, a log call inside {@code synchronized (System.out)}) is still judged by its caller.
 * Everything reaches the {@link Receiver} under this stream's monitor, so text and bytes keep
 * their order. Any thread; never throws.
 */
final class CapturingStream extends PrintStream {

    /** Where the bytes go, under the capturing stream's monitor. */
    interface Receiver {
        /**
         * @param writer the class that wrote these bytes directly, or null for text printed
         *               through the stream's own methods
         * @param report for text: true if the call that printed it is a framework's status report
         */
        void write(byte[] bytes, int off, int len, Class<?> writer, boolean report);

        /** One byte written with {@code write(int)}, which the replaced stream flushes at a line break only. */
        void writeByte(int b, Class<?> writer);

        void flush();

        /** True when writing to the console has failed (a closed pipe): what the replaced stream says. */
        boolean checkError();
    }

    /** For the byte methods: {@code CALLER.getCallerClass()} there is the class that called them. */
    private static final StackWalker CALLER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final Receiver receiver;
    /** Encodes text into the receiver as text. */
    private final PrintStream text;
    private int textDepth; // guarded by this: a format's appends are part of one call
    private final TextSink sink; // carries the judgement of the outermost text call

    CapturingStream(Receiver receiver, Charset charset) {
        this(new TextSink(receiver), receiver, charset);
    }

    private CapturingStream(TextSink sink, Receiver receiver, Charset charset) {
        super(sink, true, charset);
        this.receiver = receiver;
        this.text = new PrintStream(sink, true, charset);
        this.sink = sink;
    }

    // ------------------------------------------------------------------ bytes

    // Each byte method asks for its own caller (getCallerClass answers for the method that calls
    // it, about 1.3 µs, where a walk costs 5): the class that wrote the bytes.

    @Override
    public void write(int b) {
        Class<?> writer;
        try {
            writer = CALLER.getCallerClass();
        } catch (IllegalCallerException e) { // no Java frame below: a thread JNI attached
            writer = CapturingStream.class;
        }
        synchronized (this) {
            receiver.writeByte(b, writer);
        }
    }

    @Override
    public void write(byte[] b) {
        Class<?> writer;
        try {
            writer = CALLER.getCallerClass();
        } catch (IllegalCallerException e) {
            writer = CapturingStream.class;
        }
        bytes(b, 0, b.length, writer);
    }

    @Override
    public void writeBytes(byte[] b) {
        Class<?> writer;
        try {
            writer = CALLER.getCallerClass();
        } catch (IllegalCallerException e) {
            writer = CapturingStream.class;
        }
        bytes(b, 0, b.length, writer);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Class<?> writer;
        try {
            writer = CALLER.getCallerClass();
        } catch (IllegalCallerException e) {
            writer = CapturingStream.class;
        }
        bytes(b, off, len, writer);
    }

    private void bytes(byte[] b, int off, int len, Class<?> writer) {
        synchronized (this) {
            receiver.write(b, off, len, writer, false);
        }
    }

    // ------------------------------------------------------------------ text

    /**
     * One text call: under this stream's monitor, judged at its start if it is the outermost
     * (a format's appends are part of it), then printed by the inner stream.
     */
    private void text(CharSequence start, Consumer<PrintStream> print) {
        synchronized (this) {
            if (textDepth++ == 0) {
                sink.report = start != null && ConsoleWriters.looksLikeReport(start) && ConsoleWriters.isCurrentWriteFromLogging();
            }
            try {
                print.accept(text);
            } finally {
                if (--textDepth == 0) {
                    sink.report = false;
                }
            }
        }
    }

    @Override
    public void print(String s) {
        text(s, t -> t.print(s));
    }

    @Override
    public void println(String s) {
        text(s, t -> t.println(s));
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }

    @Override
    public void println(Object o) {
        println(String.valueOf(o));
    }

    @Override
    public void print(char[] s) {
        text(CharBuffer.wrap(s), t -> t.print(s));
    }

    @Override
    public void println(char[] s) {
        text(CharBuffer.wrap(s), t -> t.println(s));
    }

    @Override
    public void print(boolean b) {
        print(String.valueOf(b));
    }

    @Override
    public void print(char c) {
        print(String.valueOf(c));
    }

    @Override
    public void print(int i) {
        print(String.valueOf(i));
    }

    @Override
    public void print(long l) {
        print(String.valueOf(l));
    }

    @Override
    public void print(float f) {
        print(String.valueOf(f));
    }

    @Override
    public void print(double d) {
        print(String.valueOf(d));
    }

    @Override
    public void println() {
        println("");
    }

    @Override
    public void println(boolean b) {
        println(String.valueOf(b));
    }

    @Override
    public void println(char c) {
        println(String.valueOf(c));
    }

    @Override
    public void println(int i) {
        println(String.valueOf(i));
    }

    @Override
    public void println(long l) {
        println(String.valueOf(l));
    }

    @Override
    public void println(float f) {
        println(String.valueOf(f));
    }

    @Override
    public void println(double d) {
        println(String.valueOf(d));
    }

    @Override
    public PrintStream printf(String format, Object... args) {
        return format(format, args);
    }

    @Override
    public PrintStream printf(Locale l, String format, Object... args) {
        return format(l, format, args);
    }

    @Override
    public PrintStream format(String format, Object... args) {
        text(null, t -> t.format(format, args)); // no framework reports with format
        return this;
    }

    @Override
    public PrintStream format(Locale l, String format, Object... args) {
        text(null, t -> t.format(l, format, args));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq, int start, int end) {
        print(String.valueOf(csq == null ? "null" : csq).subSequence(start, end).toString());
        return this;
    }

    @Override
    public PrintStream append(char c) {
        print(c);
        return this;
    }

    // ------------------------------------------------------------------ the rest

    @Override
    public void flush() {
        synchronized (this) {
            text.flush();
        }
    }

    /**
     * Flushes, and tells whether writing to the console has failed, as the replaced stream would
     * (a program that stops once nobody reads its output, {@code java App | head}, still stops).
     */
    @Override
    public boolean checkError() {
        flush();
        return receiver.checkError() || super.checkError();
    }

    @Override
    public void close() {
        flush(); // never closes the JVM's own stream
    }
}
