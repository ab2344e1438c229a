package io.github.sqsappender.core.testing;

import io.github.sqsappender.core.EventAccessor;

/** Events that are plain strings, for tests that drive a pipeline without a logging framework. */
public final class StringEvents {

    /** Every event is an INFO event of logger {@code app}, on the appending thread, at time 0. */
    public static final EventAccessor<String> INFO = new EventAccessor<>() {
        @Override public String level(String e) { return "INFO"; }
        @Override public boolean isWarnOrMoreSevere(String e) { return false; }
        @Override public String loggerName(String e) { return "app"; }
        @Override public String threadName(String e) { return Thread.currentThread().getName(); }
        @Override public long timestampMillis(String e) { return 0; }
        @Override public String mdc(String e, String key) { return null; }
    };

    private StringEvents() {
    }
}
