package io.github.sqsappender.core;

/**
 * Where the core reports what it cannot tell the application any other way: configuration problems,
 * delivery failures, the shutdown summary. Each adapter maps it to its framework's own status
 * channel (Log4j2's {@code StatusLogger}, Logback's status manager) — never to a logger, which
 * could route the report back into this appender.
 *
 * <p>Implementations must be thread-safe and must not block. The core rate-limits what it sends
 * here, so a dead endpoint cannot flood the channel.
 */
public interface StatusPort {

    /** Reports normal lifecycle information, such as the queue being resolved. */
    void info(String message);

    /** Reports a recoverable problem; {@code cause} may be null. */
    void warn(String message, Throwable cause);

    /** Reports a problem that loses events or prevents delivery; {@code cause} may be null. */
    void error(String message, Throwable cause);

    /** A port that discards everything; for tools and tests that do not care. */
    static StatusPort silent() {
        return new StatusPort() {
            @Override public void info(String message) { }
            @Override public void warn(String message, Throwable cause) { }
            @Override public void error(String message, Throwable cause) { }
        };
    }
}
