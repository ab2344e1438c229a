package io.github.sqsappender.core;

/**
 * Renders a framework event as the message body with the user's layout or encoder. Called on the
 * application thread; may throw (a broken layout), which the pipeline counts and reports instead
 * of letting it reach the application.
 *
 * @param <E> the framework's event type
 */
@FunctionalInterface
public interface EventFormatter<E> {

    /** The formatted event; null or empty means there is nothing to send (counted as {@code empty}). */
    String format(E event);
}
