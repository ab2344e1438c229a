package io.github.sqsappender.core.testing;

import io.github.sqsappender.core.Ticker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when the test says so. */
public final class ManualTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
        return nanos.get();
    }

    public ManualTicker advance(long amount, TimeUnit unit) {
        nanos.addAndGet(unit.toNanos(amount));
        return this;
    }

    public ManualTicker advanceMillis(long millis) {
        return advance(millis, TimeUnit.MILLISECONDS);
    }
}
