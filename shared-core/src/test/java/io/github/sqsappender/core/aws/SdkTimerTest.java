package io.github.sqsappender.core.aws;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SdkTimerTest {

    @Test
    void theCloseFiresWhatIsStillPendingAtOnceAndEndsTheThread() {
        SdkTimer timer = new SdkTimer("timer-test");
        AtomicInteger fired = new AtomicInteger();
        // A call's timeout that would fire in an hour, and one whose call ended (cancelled): only the first fires.
        ScheduledFuture<?> pending = timer.executor().schedule(fired::incrementAndGet, 1, TimeUnit.HOURS);
        ScheduledFuture<?> ended = timer.executor().schedule(() -> fired.addAndGet(100), 1, TimeUnit.HOURS);
        ended.cancel(false);
        timer.close();
        assertThat(fired).hasValue(1);
        assertThat(pending.isDone()).isTrue();
        assertThat(timer.executor().isTerminated()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("sqs-appender-timer-test-timer"));
    }
}
