package io.github.sqsappender.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingEventAccessorTest {

    private static LoggingEvent event(LoggerContext context) {
        return new LoggingEvent("fqcn", context.getLogger("com.example.App"), Level.INFO, "m", null, null);
    }

    @Test
    void anEventAnAsyncAppenderHandsOverWasNotLoggedOnTheThreadAppendingIt() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        LoggingEventAccessor accessor = new LoggingEventAccessor(null);
        AtomicReference<LoggingEvent> handedOver = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread application = new Thread(() -> { // what AsyncAppender does before queueing the event
            try {
                LoggingEvent e = event(context);
                e.prepareForDeferredProcessing();
                handedOver.set(e);
            } catch (RuntimeException | Error e) {
                failed.set(e);
            }
        }, "application");
        application.start();
        application.join();
        assertThat(failed.get()).isNull();
        assertThat(accessor.isLoggedOnCurrentThread(handedOver.get())).isFalse();
        assertThat(accessor.isLoggedOnCurrentThread(event(context))).isTrue();
    }
}
