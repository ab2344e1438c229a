package io.github.sqsappender.core.jvm;

/**
 * Decides which events must never be shipped because shipping them could feed back into the
 * appender: the AWS SDK's, Netty's and the HTTP clients' own logging, and anything logged on the
 * appender's own threads. Such events still reach the user's other appenders.
 */
public final class FeedbackGuard {

    /** Every thread the appender creates carries this name prefix. */
    public static final String THREAD_PREFIX = "sqs-appender-";

    /**
     * Built at run time, not compile-time constants: the {@code sqs-appender-all} jar relocates the
     * SDK and Netty, and maven-shade rewrites constant strings that name them. These stay the
     * host's own names (its SDK, Netty and Apache client), and the relocated ones are added.
     */
    private static final String[] EXCLUDED_LOGGER_PREFIXES = {
        String.join(".", "software", "amazon", "awssdk"),
        String.join(".", "io", "netty"),
        String.join(".", "org", "apache", "http"),
        String.join(".", "org", "apache", "hc"),
        "io.github.sqsappender.core",
        "io.github.sqsappender.shaded.", // the SDK and Netty as relocated inside the sqs-appender-all jar
    };

    private FeedbackGuard() {
    }

    /** True when an event from {@code loggerName} on the current thread must not be shipped. */
    public static boolean isExcluded(String loggerName) {
        if (loggerName != null) {
            for (String prefix : EXCLUDED_LOGGER_PREFIXES) {
                if (loggerName.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return isAppenderThread();
    }

    /** True on a thread owned by an appender (dispatcher, SDK I/O threads created for it). */
    public static boolean isAppenderThread() {
        return isAppenderThreadName(Thread.currentThread().getName());
    }

    /** True when {@code threadName} (an event's, possibly logged on another thread) names an appender's thread. */
    public static boolean isAppenderThreadName(String threadName) {
        return threadName != null && threadName.startsWith(THREAD_PREFIX);
    }
}
