package io.github.sqsappender.core.streams;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Decides whether a write to a captured stream comes from a logging framework or from this
 * appender — Log4j2 and Logback console appenders (whatever their target and {@code follow}),
 * Log4j2's {@code StatusLogger}, Logback's status printer, SLF4J's own reports, our own reports and
 * threads — and so must pass through uncaptured: capturing it would ship a line twice, or loop.
 *
 * <p>The frameworks give no hook for this, and a stack walk costs several microseconds, more than
 * the rest of a captured {@code println} together. So the walk is the last resort, behind cheap
 * tests that settle the common cases:
 * <ul>
 *   <li>our own threads ({@code sqs-appender-…}) and our own reports, which run marked
 *       ({@link #reporting});</li>
 *   <li>a console appender writes encoded bytes straight into the stream, so its write's direct
 *       caller is the framework's class ({@link #isFrameworkByteWrite});</li>
 *   <li>a program's {@code print}/{@code println} reaches the stream through the stream's own text
 *       methods, which a framework uses only for status reports; those are walked only when the
 *       text starts like one ({@link #isFrameworkTextWrite}).</li>
 * </ul>
 * Any thread.
 */
final class ConsoleWriters {

    /**
     * How far up the stack a framework's frame may be: a console appender's write is 2–4 frames above
     * the capture, a status listener's {@code println} about 10 (through the JDK's encoder). Walking
     * further costs every walked write more.
     */
    private static final int MAX_DEPTH = 16;
    private static final StackWalker WALKER = StackWalker.getInstance(java.util.Set.of(), MAX_DEPTH);
    /** For the stream's byte-writing methods: {@code CALLER.getCallerClass()} there is the class that called them. */
    static final StackWalker CALLER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Built at run time so that relocation in a shaded jar cannot rewrite the host's package names. */
    private static final String[] FRAMEWORK_PREFIXES = {
        String.join(".", "org", "apache", "logging", "log4j", ""),
        String.join(".", "ch", "qos", "logback", ""),
        String.join(".", "org", "slf4j", ""), // SLF4J's own reports ("SLF4J(W): ...") and its simple loggers
    };
    /** The engine and its AWS side: what reports from inside the appender (never the capture, never a test kit). */
    private static final String[] OWN_PREFIXES = {"io.github.sqsappender.core.internal.", "io.github.sqsappender.core.aws."};
    /** Classes that only pass bytes on: a write whose direct caller is one of these needs the walk. */
    private static final String[] PLUMBING_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
    private static final String APPENDER_THREAD_PREFIX = "sqs-appender-";
    /** How far into a write a status report's marker may start: Logback's comes after an {@code HH:mm:ss,SSS } time. */
    private static final int MARKER_WINDOW = 32;
    private static final byte[] LOGBACK_STATUS_MARKER = "|-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SLF4J_MARKER = "SLF4J".getBytes(StandardCharsets.US_ASCII);

    private static final ThreadLocal<Boolean> REPORTING = new ThreadLocal<>();

    private ConsoleWriters() {
    }

    /**
     * Runs {@code report} marked as this appender's own report: whatever it prints is not captured.
     * Reentrant.
     */
    static <T> T reporting(Supplier<T> report) {
        if (REPORTING.get() != null) {
            return report.get();
        }
        REPORTING.set(Boolean.TRUE);
        try {
            return report.get();
        } finally {
            REPORTING.remove();
        }
    }

    /** True on this appender's threads and inside its reports. */
    static boolean isOwnWrite() {
        return REPORTING.get() != null || Thread.currentThread().getName().startsWith(APPENDER_THREAD_PREFIX);
    }

    /** True if a direct byte write called by {@code caller} comes from a logging framework or this appender. */
    static boolean isFrameworkByteWrite(Class<?> caller) {
        String name = caller.getName();
        if (isLoggingClass(name)) {
            return true;
        }
        return startsWithAny(name, PLUMBING_PREFIXES) && isCurrentWriteFromLogging();
    }

    /**
     * True if text printed through the stream's own methods comes from a logging framework's status
     * report; only text that starts like one (Logback's {@code |-}, Log4j2's instant, SLF4J's name) is walked.
     */
    static boolean isFrameworkTextWrite(byte[] bytes, int off, int len) {
        return (startsWith(bytes, off, len, SLF4J_MARKER) || startsWithIsoInstant(bytes, off, len)
                || contains(bytes, off, Math.min(len, MARKER_WINDOW), LOGBACK_STATUS_MARKER))
                && isCurrentWriteFromLogging();
    }

    /** Log4j2's status lines start with an instant, {@code 2026-12-03T14:31:31.934Z}. */
    private static boolean startsWithIsoInstant(byte[] bytes, int off, int len) {
        return len > 10 && bytes[off + 4] == '-' && bytes[off + 7] == '-' && bytes[off + 10] == 'T';
    }

    /** True if a frame near the top of the current thread's stack is a logging framework's or this appender's. */
    static boolean isCurrentWriteFromLogging() {
        return WALKER.walk(frames -> frames.limit(MAX_DEPTH).anyMatch(f -> isLoggingClass(f.getClassName())));
    }

    static boolean isLoggingClass(String className) {
        return startsWithAny(className, FRAMEWORK_PREFIXES) || startsWithAny(className, OWN_PREFIXES);
    }

    private static boolean startsWithAny(String className, String[] prefixes) {
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, int off, int len, byte[] marker) {
        return len >= marker.length && contains(bytes, off, marker.length, marker);
    }

    private static boolean contains(byte[] bytes, int off, int len, byte[] marker) {
        for (int i = off; i + marker.length <= off + len; i++) {
            int j = 0;
            while (j < marker.length && bytes[i + j] == marker[j]) {
                j++;
            }
            if (j == marker.length) {
                return true;
            }
        }
        return false;
    }
}
