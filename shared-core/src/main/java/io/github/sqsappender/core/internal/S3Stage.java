package io.github.sqsappender.core.internal;

/**
 * A stage that writes to S3 — the offload ({@code largeMessagePolicy=s3}) or the fallback
 * ({@code fallback=s3}) — as the dispatcher drives it. Where S3 is not used, the stage is
 * {@link #NONE}, so the dispatcher never asks whether one exists. Dispatcher thread only.
 */
interface S3Stage {

    /** A stage that does nothing and never waits: S3 is not used for it. */
    S3Stage NONE = new S3Stage() {
        @Override
        public void poll(long now, StopPlan.Phase phase, boolean urgent) {
        }

        @Override
        public void settle(long now) {
        }

        @Override
        public long untilNextDue(long now) {
            return Dispatcher.UNTIL_WOKEN;
        }

        @Override
        public void clear() {
        }
    };

    /**
     * Settles finished writes and starts those that are due.
     *
     * @param urgent true while a flush or stop waits: what is collected should be written at once
     */
    void poll(long now, StopPlan.Phase phase, boolean urgent);

    /** Settles finished writes only (starts nothing): at the stop's deadline. */
    void settle(long now);

    /** Nanoseconds until a write is due to start (or an object to close). */
    long untilNextDue(long now);

    /** Forgets everything (the ledger has abandoned it). */
    void clear();
}
