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

    /** Every event is a WARN event of logger {@code app}, thread {@code main}, at time 0. */
    public static final EventAccessor<String> WARN = new EventAccessor<>() {
        @Override public String level(String e) { return "WARN"; }
        @Override public boolean isWarnOrMoreSevere(String e) { return true; }
        @Override public String loggerName(String e) { return "app"; }
        @Override public String threadName(String e) { return "main"; }
        @Override public long timestampMillis(String e) { return 0; }
        @Override public String mdc(String e, String key) { return null; }
    };

    /**
     * The event is its level's name ({@code "INFO"}, {@code "WARN"}, …; anything but INFO counts as
     * WARN or more severe), of logger {@code app}, thread {@code main}, at time 0.
     */
    public static final EventAccessor<String> LEVELS = new EventAccessor<>() {
        @Override public String level(String level) { return level; }
        @Override public boolean isWarnOrMoreSevere(String level) { return !level.equals("INFO"); }
        @Override public String loggerName(String level) { return "app"; }
        @Override public String threadName(String level) { return "main"; }
        @Override public long timestampMillis(String level) { return 0; }
        @Override public String mdc(String level, String key) { return null; }
    };

    private StringEvents() {
    }
}
