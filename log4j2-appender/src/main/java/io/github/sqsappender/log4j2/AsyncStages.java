package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.FlushAll;
import io.github.sqsappender.core.jvm.LiveThreads;
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
                    stages.add(emptiedAndIdle(async));
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

    /**
     * An {@code AsyncAppender} as a flush waits for it: empty once its queue is empty and its
     * dispatcher thread ({@code Log4j2-AsyncAppenderEventDispatcher-N-NAME}) waits for the queue — it
     * holds the event it took while it calls the appenders, and the queue no longer shows it. Where
     * this Log4j2 names it otherwise, the queue alone.
     */
    private static FlushAll.Upstream emptiedAndIdle(AsyncAppender async) {
        List<Thread> dispatchers = LiveThreads.named(DISPATCHER_THREAD_PREFIX, "-" + async.getName());
        return () -> async.getQueueRemainingCapacity() >= async.getQueueCapacity()
                && dispatchers.stream().allMatch(t -> LiveThreads.waitsForItsQueue(t, DISPATCHER_CLASS_PREFIX));
    }

    /** How Log4j2 names an {@code AsyncAppender}'s dispatcher thread, before its number and the appender's name. */
    static final String DISPATCHER_THREAD_PREFIX = "Log4j2-AsyncAppenderEventDispatcher-";

    /** The class whose {@code take} a waiting dispatcher is parked in (Log4j2 2.20 on: {@code AsyncAppenderEventDispatcher}). */
    static final String DISPATCHER_CLASS_PREFIX = "org.apache.logging.log4j.core.appender.AsyncAppender";

    private static FlushAll.Upstream empty(RingBufferAdmin ringBuffer) {
        return () -> ringBuffer.getRemainingCapacity() >= ringBuffer.getBufferSize();
    }
}
