package io.github.sqsappender.logback;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.github.sqsappender.core.jvm.LiveThreads;
import io.github.sqsappender.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code flushAll} takes for a Logback {@code AsyncAppender} worker that has handed everything
 * over: parked taking from its own queue. A worker that drained the queue and is still appending —
 * here, parked inside an appender behind it, as under {@code overflowPolicy=block} — holds events
 * the queue no longer shows; so does one parked in some other queue's {@code take}.
 */
@Timeout(30)
class AsyncWorkerIdleTest {

    @Test
    void onlyAWorkerParkedTakingFromItsOwnQueueIsIdle() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        CountDownLatch release = new CountDownLatch(1);
        AppenderBase<ILoggingEvent> slow = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                try {
                    release.await(); // an append waiting for room
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        slow.setContext(context);
        slow.setName("slow");
        slow.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ASYNC-IDLE");
        async.addAppender(slow);
        async.start();
        try {
            Thread worker = LiveThreads.named("AsyncAppender-Worker-ASYNC-IDLE").get(0);
            awaitParked(worker);
            assertThat(SqsAppender.waitsForItsQueue(worker)).as("waiting for its queue").isTrue();

            LoggingEvent event = new LoggingEvent();
            event.setLoggerContext(context);
            event.setLoggerName("test");
            event.setLevel(ch.qos.logback.classic.Level.INFO);
            event.setMessage("held");
            async.doAppend(event);
            Await.until("the worker holding the event, parked in the slow append",
                    () -> async.getNumberOfElementsInQueue() == 0 && worker.getState() == Thread.State.WAITING
                            && !SqsAppender.waitsForItsQueue(worker));
            assertThat(async.getNumberOfElementsInQueue()).as("the queue looks empty").isZero();
            assertThat(SqsAppender.waitsForItsQueue(worker)).as("holding an event").isFalse();

            release.countDown();
            Await.until("the worker back in its take", () -> SqsAppender.waitsForItsQueue(worker));
        } finally {
            release.countDown();
            async.stop();
        }

        ArrayBlockingQueue<Object> other = new ArrayBlockingQueue<>(1);
        Thread elsewhere = new Thread(() -> {
            try {
                other.take(); // a take, but not an AsyncAppender worker's own
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "elsewhere");
        elsewhere.start();
        awaitParked(elsewhere);
        assertThat(SqsAppender.waitsForItsQueue(elsewhere)).isFalse();
        other.put("x");
        elsewhere.join();
        assertThat(SqsAppender.waitsForItsQueue(elsewhere)).as("ended").isTrue();
    }

    private static void awaitParked(Thread t) {
        Await.until(t.getName() + " parked", () -> t.getState() == Thread.State.WAITING);
    }
}
