package io.github.sqsappender.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import io.github.sqsappender.core.EventAccessor;

import java.util.Map;

/** Reads Logback events for the core; the optional layout renders the FIFO message group. */
final class LoggingEventAccessor implements EventAccessor<ILoggingEvent> {

    private final Layout<ILoggingEvent> messageGroupLayout;

    LoggingEventAccessor(Layout<ILoggingEvent> messageGroupLayout) {
        this.messageGroupLayout = messageGroupLayout;
    }

    @Override
    public String level(ILoggingEvent event) {
        return event.getLevel().toString();
    }

    @Override
    public boolean isWarnOrMoreSevere(ILoggingEvent event) {
        return event.getLevel().isGreaterOrEqual(Level.WARN);
    }

    @Override
    public String loggerName(ILoggingEvent event) {
        return event.getLoggerName();
    }

    @Override
    public String threadName(ILoggingEvent event) {
        return event.getThreadName();
    }

    @Override
    public boolean isLoggedOnCurrentThread(ILoggingEvent event) {
        return Thread.currentThread().getName().equals(event.getThreadName()); // Logback records no thread id
    }

    @Override
    public long timestampMillis(ILoggingEvent event) {
        return event.getTimeStamp();
    }

    @Override
    public String mdc(ILoggingEvent event, String key) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        return mdc == null ? null : mdc.get(key);
    }

    @Override
    public String messageGroupId(ILoggingEvent event) {
        return messageGroupLayout == null ? null : messageGroupLayout.doLayout(event);
    }
}
