package io.github.sqsappender.core.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one way tests wait for something another thread does: poll a condition, parking 1 ms
 * between checks so the waiting thread leaves the core to the threads it waits for, and fail
 * with a message naming what never happened once {@code timeout} has passed. Never an unbounded
 * spin, never a fixed sleep.
 */
public final class Await {

    private static final long POLL_NANOS = 1_000_000L;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} if it still does not hold after {@code timeout}
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** {@link #until} with a 30 s timeout: far beyond any wait a passing run has, so it never flakes. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, Duration.ofSeconds(30), condition);
    }
}
