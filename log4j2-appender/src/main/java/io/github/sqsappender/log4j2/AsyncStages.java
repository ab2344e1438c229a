package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.FlushAll;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AsyncAppender;
import org.apache.logging.log4j.core.async.AsyncLoggerConfig;
import org.apache.logging.log4j.core.async.AsyncLoggerConfigDelegate;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.jmx.RingBufferAdmin;

import java.util.ArrayList;
import java.util.List;

/**
 * The asynchronous stages of a Log4j2 context that may hold events its appenders have not yet
 * been given, so that a flush waits for them first: every {@code <Async>} appender's queue, the
 * ring buffer of an all-asynchronous context, and the one that {@code AsyncLogger} and
 * {@code AsyncRoot} share. A stage this Log4j2 cannot describe (an older or newer API, no LMAX
 * Disruptor) is left out rather than failing the flush. Any thread.
 */
final class AsyncStages {

    private AsyncStages() {
    }

    static List<FlushAll.Upstream> of(LoggerContext context) {
        List<FlushAll.Upstream> stages = new ArrayList<>();
        Configuration configuration = context.getConfiguration();
        try {
            for (Appender appender : configuration.getAppenders().values()) {
                if (appender instanceof AsyncAppender async) {
                    stages.add(() -> async.getQueueRemainingCapacity() >= async.getQueueCapacity());
                }
            }
            if (context instanceof AsyncLoggerContext asyncContext) {
                stages.add(empty(asyncContext.createRingBufferAdmin()));
            }
            AsyncLoggerConfigDelegate delegate = null;
            for (LoggerConfig logger : configuration.getLoggers().values()) {
                if (logger instanceof AsyncLoggerConfig) {
                    delegate = configuration.getAsyncLoggerConfigDelegate();
                    break;
                }
            }
            if (configuration.getRootLogger() instanceof AsyncLoggerConfig) {
                delegate = configuration.getAsyncLoggerConfigDelegate();
            }
            if (delegate != null) {
                stages.add(empty(delegate.createRingBufferAdmin(context.getName(), "")));
            }
        } catch (RuntimeException | LinkageError e) {
            // An API this Log4j2 does not have: flush what reached the appenders.
        }
        return stages;
    }

    private static FlushAll.Upstream empty(RingBufferAdmin ringBuffer) {
        return () -> ringBuffer.getRemainingCapacity() >= ringBuffer.getBufferSize();
    }
}
