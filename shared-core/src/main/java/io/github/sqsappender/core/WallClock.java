package io.github.sqsappender.core;

/**
 * Calendar time in epoch milliseconds, for timestamps that people read (the last error's time).
 * Durations and deadlines use the monotonic {@link Ticker} instead. Thread-safe.
 */
@FunctionalInterface
public interface WallClock {

    /** Milliseconds since 1970-01-01T00:00:00Z. */
    long currentTimeMillis();

    /** The clock backed by {@link System#currentTimeMillis()}. */
    static WallClock system() {
        return System::currentTimeMillis;
    }
}
