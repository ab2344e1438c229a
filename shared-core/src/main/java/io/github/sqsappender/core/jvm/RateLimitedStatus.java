package io.github.sqsappender.core.jvm;

import io.github.sqsappender.core.StatusPort;
import io.github.sqsappender.core.Ticker;

import java.util.HashMap;
import java.util.Map;

/**
 * Passes at most one report per key per interval to the real {@link StatusPort}, and says how
 * many similar reports were suppressed in between — so a dead endpoint produces one line every
 * few seconds, not one per request. Thread-safe (reports are rare, a lock is fine).
 */
public final class RateLimitedStatus {

    private final StatusPort delegate;
    private final Ticker ticker;
    private final long intervalNanos;
    private final Map<String, long[]> lastByKey = new HashMap<>(); // key -> {lastReportedAt, suppressed}

    public RateLimitedStatus(StatusPort delegate, Ticker ticker, long intervalNanos) {
        this.delegate = delegate;
        this.ticker = ticker;
        this.intervalNanos = intervalNanos;
    }

    public StatusPort unlimited() {
        return delegate;
    }

    public void info(String key, String message) {
        String text = admit(key, message);
        if (text != null) {
            delegate.info(text);
        }
    }

    public void warn(String key, String message, Throwable cause) {
        String text = admit(key, message);
        if (text != null) {
            delegate.warn(text, cause);
        }
    }

    public void error(String key, String message, Throwable cause) {
        String text = admit(key, message);
        if (text != null) {
            delegate.error(text, cause);
        }
    }

    private synchronized String admit(String key, String message) {
        long now = ticker.read();
        long[] state = lastByKey.get(key);
        if (state == null) {
            lastByKey.put(key, new long[] {now, 0});
            return message;
        }
        if (now - state[0] < intervalNanos) {
            state[1]++;
            return null;
        }
        long suppressed = state[1];
        state[0] = now;
        state[1] = 0;
        return suppressed == 0 ? message : message + " (" + suppressed + " similar reports suppressed)";
    }
}
