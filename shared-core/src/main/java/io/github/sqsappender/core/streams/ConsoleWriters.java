package io.github.sqsappender.core.streams;

/**
 * Decides whether a write to a captured stream comes from a logging framework or from this
 * appender — Log4j2 and Logback console appenders (whatever their target and {@code follow}),
 * Log4j2's {@code StatusLogger}, Logback's status printer, SLF4J's own reports, our own reports and threads — and so
 * must pass through uncaptured: capturing it would ship a line twice, or loop.
 *
 * <p>The frameworks give no hook for this, so it looks at the writing thread's stack, as far as
 * the frames that can be a framework's: the nearest few dozen. Any thread.
 */
final class ConsoleWriters {

    /**
     * How far up the stack a framework's frame may be: a console appender's write is 2–4 frames above
     * the capture, a status listener's {@code println} about 10 (through the JDK's encoder), an
     * {@code AsyncAppender}'s worker about 10. Walking further costs every captured print more.
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
    private static final String APPENDER_THREAD_PREFIX = "sqs-appender-";

    private ConsoleWriters() {
    }

    /** True if the current thread's write comes from a logging framework or from this appender. */
    static boolean isCurrentWriteFromLogging() {
        if (Thread.currentThread().getName().startsWith(APPENDER_THREAD_PREFIX)) {
            return true;
        }
        return WALKER.walk(frames -> frames.limit(MAX_DEPTH).anyMatch(f -> isLoggingClass(f.getClassName())));
    }

    static boolean isLoggingClass(String className) {
        for (String prefix : FRAMEWORK_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        for (String prefix : OWN_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
