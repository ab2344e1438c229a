package io.github.sqsappender.core;

/**
 * A source of monotonic time in nanoseconds. The system ticker is used in production; tests pass a
 * manual one so that batching, linger and retry decisions can be driven without sleeping.
 *
 * <p>Implementations must be thread-safe: producers read it when stamping events, the dispatcher
 * reads it on every loop step.
 */
@FunctionalInterface
public interface Ticker {

    /** Returns a monotonic nanosecond reading; only differences between readings are meaningful. */
    long read();

    /** The ticker backed by {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
