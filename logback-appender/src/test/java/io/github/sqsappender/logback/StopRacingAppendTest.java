package io.github.sqsappender.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import io.github.sqsappender.core.testing.InMemorySqsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An append that is already past Logback's {@code started} check when {@code stop()} begins is
 * delivered, not dropped: proven with an encoder that parks inside the append until the stop has
 * started and is seen waiting. No timing luck: latches and the stopping thread's observed state.
 */
@Timeout(60)
class StopRacingAppendTest {

    /** Parks the event whose message is {@code park} until released. */
    static final class ParkingEncoder extends EncoderBase<ILoggingEvent> {
        final CountDownLatch parked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override public byte[] headerBytes() { return null; }
        @Override public byte[] footerBytes() { return null; }

        @Override
        public byte[] encode(ILoggingEvent event) {
            if (event.getFormattedMessage().equals("park")) {
                parked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return event.getFormattedMessage().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void anAppendInProgressWhenTheStopBeginsIsDelivered() throws Exception {
        String url = "https://sqs.us-east-1.amazonaws.com/123456789012/stop-race";
        InMemorySqsClient queue = InMemorySqsClient.register(url);
        LoggerContext context = new LoggerContext();
        ParkingEncoder encoder = new ParkingEncoder();
        encoder.setContext(context);
        encoder.start();
        SqsAppender appender = new SqsAppender();
        appender.setContext(context);
        appender.setName("race");
        appender.setQueueUrl(url);
        appender.setClientFactory(InMemorySqsClient.Factory.class.getName());
        appender.setLingerMs("600000");
        appender.setJmx("false");
        appender.setEncoder(encoder);
        appender.start();
        assertThat(appender.isStarted()).isTrue();
        Logger logger = context.getLogger("com.example.Race");
        logger.addAppender(appender);
        logger.info("before");

        Thread logging = new Thread(() -> logger.info("park"), "app-logging");
        logging.start();
        encoder.parked.await(); // the append is past Logback's started check, inside the encoder

        Thread stopping = new Thread(appender::stop, "app-stopping");
        stopping.start();
        awaitWaitingForAppends(stopping); // the stop has begun and waits for the append in progress
        assertThat(appender.isStarted()).isFalse();
        logger.info("after"); // after the stop began: Logback skips it (not started)

        encoder.release.countDown();
        logging.join();
        stopping.join();

        assertThat(queue.acceptedBodies()).containsExactly("before", "park");
        assertThat(appender.getMetrics().getEventsDropped()).isZero();
        assertThat(appender.getMetrics().getEventsSent()).isEqualTo(2);
    }

    /** Returns once {@code t} is seen waiting inside {@code AppendGate.awaitQuiet}; fails after ~10 s. */
    private static void awaitWaitingForAppends(Thread t) throws InterruptedException {
        for (int i = 0; i < 10_000; i++) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().equals("io.github.sqsappender.core.AppendGate") && frame.getMethodName().equals("awaitQuiet")) {
                    return;
                }
            }
            t.join(1);
        }
        throw new AssertionError("the stop never waited for the append in progress");
    }
}
