package io.github.sqsappender.log4j2;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class LogEventAccessorTest {

    private static LogEvent event() {
        return Log4jLogEvent.newBuilder().setLoggerName("com.example.App").setLevel(Level.INFO)
                .setMessage(new SimpleMessage("m")).build();
    }

    @Test
    void anEventAnAsynchronousStageHandsOverWasNotLoggedOnTheThreadAppendingIt() throws Exception {
        LogEventAccessor accessor = new LogEventAccessor(null);
        AtomicReference<LogEvent> handedOver = new AtomicReference<>();
        // What Log4j2's <Async> queues: a memento made on the logging thread.
        Thread application = new Thread(() -> handedOver.set(Log4jLogEvent.createMemento(event())), "application");
        application.start();
        application.join();
        assertThat(accessor.isLoggedOnCurrentThread(handedOver.get())).isFalse();
        assertThat(accessor.isLoggedOnCurrentThread(event())).isTrue();
    }
}
