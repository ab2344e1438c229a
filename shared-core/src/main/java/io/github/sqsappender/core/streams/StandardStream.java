package io.github.sqsappender.core.streams;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;

/**
 * The JVM's two standard output streams, with the logger name and level their lines are shipped
 * under (the names and levels Spark's {@code RedirectConsolePlugin} uses, so one consumer reads both).
 */
public enum StandardStream {
    STDOUT("stdout", "INFO"),
    STDERR("stderr", "ERROR");

    private final String loggerName;
    private final String level;

    StandardStream(String loggerName, String level) {
        this.loggerName = loggerName;
        this.level = level;
    }

    /** {@code stdout} or {@code stderr}: the captured lines' logger name and the attribute value. */
    public String loggerName() {
        return loggerName;
    }

    /** {@code INFO} for stdout, {@code ERROR} for stderr. */
    public String level() {
        return level;
    }

    PrintStream current() {
        return this == STDOUT ? System.out : System.err;
    }

    void set(PrintStream stream) {
        if (this == STDOUT) {
            System.setOut(stream);
        } else {
            System.setErr(stream);
        }
    }

    /** The stream's charset: {@code stdout.encoding} / {@code stderr.encoding} where set, else the default. */
    Charset charset() {
        String name = System.getProperty(loggerName + ".encoding");
        if (name == null) {
            name = System.getProperty("sun." + loggerName + ".encoding");
        }
        if (name != null) {
            try {
                return Charset.forName(name);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // fall through to the default, as the JVM itself does
            }
        }
        return Charset.defaultCharset();
    }
}
