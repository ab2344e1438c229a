package io.github.sqsappender.core.jvm;

import java.util.concurrent.TimeUnit;

/** Waiting for a thread to end without giving up the caller's interrupt. */
public final class ThreadJoins {

    private ThreadJoins() {
    }

    /**
     * Waits up to {@code millis} for {@code thread} to end. An interrupt does not cut the wait
     * short (a stop must finish); the caller's interrupt flag is restored afterwards.
     */
    public static void joinQuietly(Thread thread, long millis) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true; // finish the stop; restore the flag afterwards
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
