package io.github.sqsappender.logback;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code flushAll} takes for an {@code AsyncAppender} worker that has handed everything over:
 * parked taking from its queue. A worker that drained the queue and is still appending — running,
 * or parked waiting for room in the appender — holds events the queue no longer shows.
 */
@Timeout(30)
class AsyncWorkerIdleTest {

    @Test
    void onlyAWorkerParkedTakingFromItsQueueIsIdle() throws Exception {
        ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
        Thread taking = new Thread(() -> {
            try {
                queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "taking");
        CountDownLatch release = new CountDownLatch(1);
        Thread appending = new Thread(() -> { // parked elsewhere: an append waiting for room
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "appending");
        taking.start();
        appending.start();
        awaitParked(taking);
        awaitParked(appending);

        assertThat(SqsAppender.waitsForItsQueue(taking)).isTrue();
        assertThat(SqsAppender.waitsForItsQueue(appending)).isFalse();
        assertThat(SqsAppender.waitsForItsQueue(Thread.currentThread())).as("running").isFalse();

        queue.put("event");
        release.countDown();
        taking.join();
        appending.join();
        assertThat(SqsAppender.waitsForItsQueue(taking)).as("ended").isTrue();
    }

    /** Until {@code t} is parked (bounded by the class's timeout). */
    private static void awaitParked(Thread t) {
        while (t.getState() != Thread.State.WAITING) {
            LockSupport.parkNanos(1_000_000L); // polling a thread's state, which has no notification
        }
    }
}
