package io.github.sqsappender.core.streams;

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
 *       methods, which a framework uses only for status reports; a print call is walked, once,
 *       only when its text starts like one ({@link #looksLikeReport}).</li>
 * </ul>
 * Any thread.
 */
final class ConsoleWriters {

    /**
     * How far up the stack a framework's frame may be: a status listener's {@code println} is 3–5
     * frames above the start of the print call, bytes copied through JDK classes a few more.
     * Walking further costs every walk more.
     */
    private static final int MAX_DEPTH = 16;
    private static final StackWalker WALKER = StackWalker.getInstance(java.util.Set.of(), MAX_DEPTH);
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
    /** What Log4j2's status logger names itself in what it prints before a configuration has set a listener. */
    private static final String STATUS_LOGGER = "StatusLogger ";

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
     * True if text a print call starts with looks like a framework's status report — Logback's
     * {@code |-} after its time, Log4j2's leading instant ({@code 2026-12-03T14:31:31.934Z}; before
     * 2.23, as Spark 3.5's 2.20 writes it, {@code 2026-12-03 14:31:31,934}), the
     * {@code ERROR StatusLogger ...} of Log4j2's status logger before its configuration, SLF4J's
     * name — and so is worth a stack walk. A program's line that looks like one costs a walk and is
     * still captured.
     */
    static boolean looksLikeReport(CharSequence text) {
        int n = text.length();
        if (n >= 5 && text.charAt(0) == 'S' && text.charAt(1) == 'L' && text.charAt(2) == 'F' && text.charAt(3) == '4'
                && text.charAt(4) == 'J') {
            return true;
        }
        if (n > 13 && text.charAt(4) == '-' && text.charAt(7) == '-'
                && (text.charAt(10) == 'T' || (text.charAt(10) == ' ' && text.charAt(13) == ':'))) {
            return true;
        }
        for (int i = 4; i <= 6 && i + STATUS_LOGGER.length() < n; i++) { // after WARN, ERROR, FATAL, DEBUG, TRACE, INFO
            if (text.charAt(i) == ' ' && regionIs(text, i + 1, STATUS_LOGGER)) {
                return true;
            }
        }
        for (int i = 0; i + 1 < Math.min(n, MARKER_WINDOW); i++) {
            if (text.charAt(i) == '|' && text.charAt(i + 1) == '-') {
                return true;
            }
        }
        return false;
    }

    private static boolean regionIs(CharSequence text, int from, String expected) {
        for (int i = 0; i < expected.length(); i++) {
            if (text.charAt(from + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
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
}
