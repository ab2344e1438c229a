package io.github.sqsappender.core;

/**
 * Flushes several appenders within one overall timeout, as a Lambda handler needs before it
 * returns: each gets the time the ones before it left. Any thread.
 */
public final class FlushAll {

    /** Something that sends what it holds and waits up to a timeout for it to be delivered. */
    @FunctionalInterface
    public interface Flushable {
        /** @return true if everything held before the call was delivered */
        boolean flush(long timeoutMillis);
    }

    private FlushAll() {
    }

    /**
     * Flushes every target in turn within {@code timeoutMillis} in all, measured by {@code ticker}.
     *
     * @return true if every target delivered everything (also when there are none)
     */
    public static boolean within(Iterable<? extends Flushable> targets, long timeoutMillis, Ticker ticker) {
        long deadline = ticker.read() + timeoutMillis * 1_000_000L;
        boolean delivered = true;
        for (Flushable target : targets) {
            long leftMillis = Math.max(0, (deadline - ticker.read()) / 1_000_000L);
            delivered &= target.flush(leftMillis);
        }
        return delivered;
    }
}
