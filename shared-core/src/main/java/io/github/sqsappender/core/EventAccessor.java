package io.github.sqsappender.core;

/**
 * Reads the fields the core needs from a framework's event type. Adapters implement it once per
 * appender; the core calls it on the application thread while encoding, so implementations must
 * be cheap, thread-safe and must not retain the event.
 *
 * @param <E> the framework's event type
 */
public interface EventAccessor<E> {

    /** The level's name, such as {@code INFO}. */
    String level(E event);

    /**
     * True for WARN and more severe levels: these keep the last 10% of the buffer, so they survive
     * an overflow that drops INFO and DEBUG.
     */
    boolean isWarnOrMoreSevere(E event);

    String loggerName(E event);

    String threadName(E event);

    /** Event time in epoch milliseconds. */
    long timestampMillis(E event);

    /** The MDC / context-data value for {@code key}, or null. */
    String mdc(E event, String key);

    /**
     * True when {@code event} is being appended on the thread that logged it; false behind an
     * asynchronous stage (Log4j2's async loggers or {@code <Async>}, Logback's
     * {@code AsyncAppender}), whose own thread appends it. Called only when the buffer is full,
     * under {@code overflowPolicy=block}: the stage's thread never waits for room, because the
     * appender's own threads log through the same stage (the SDK's and Netty's loggers), and a
     * stage kept full would hold them, and with them the room it waits for.
     */
    default boolean isLoggedOnCurrentThread(E event) {
        return true;
    }

    /** The FIFO message group for this event; only called for FIFO queues. Null means the host name. */
    default String messageGroupId(E event) {
        return null;
    }
}
