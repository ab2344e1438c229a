package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.EventAccessor;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;

/** Reads Log4j2 events for the core; the optional layout renders the FIFO message group. */
final class LogEventAccessor implements EventAccessor<LogEvent> {

    private final Layout<?> messageGroupLayout;

    LogEventAccessor(Layout<?> messageGroupLayout) {
        this.messageGroupLayout = messageGroupLayout;
    }

    @Override
    public String level(LogEvent event) {
        return event.getLevel().name();
    }

    @Override
    public boolean isWarnOrMoreSevere(LogEvent event) {
        return event.getLevel().isMoreSpecificThan(Level.WARN);
    }

    @Override
    public String loggerName(LogEvent event) {
        return event.getLoggerName();
    }

    @Override
    public String threadName(LogEvent event) {
        return event.getThreadName();
    }

    @Override
    public boolean isLoggedOnCurrentThread(LogEvent event) {
        return event.getThreadId() == Thread.currentThread().getId();
    }

    @Override
    public long timestampMillis(LogEvent event) {
        return event.getTimeMillis();
    }

    @Override
    public String mdc(LogEvent event, String key) {
        Object value = event.getContextData().getValue(key);
        return value == null ? null : String.valueOf(value);
    }

    @Override
    public String messageGroupId(LogEvent event) {
        return messageGroupLayout == null ? null : String.valueOf(messageGroupLayout.toSerializable(event));
    }
}
