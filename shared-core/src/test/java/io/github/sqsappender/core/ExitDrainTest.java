package io.github.sqsappender.core;

import io.github.sqsappender.core.testing.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exit hook's drain on a manual clock: each quiet interval it waits is one step the test
 * scripts — what the other shutdown hooks log during it, and whether the framework stops the
 * pipeline meanwhile.
 */
@Timeout(10)
class ExitDrainTest {

    private static final long SHUTDOWN_TIMEOUT = 10_000;

    private final ManualTicker ticker = new ManualTicker();
    private final List<String> calls = new ArrayList<>();
    private long appended;

    /** A pipeline whose n-th wait (from 0) lets the clock pass the wait and logs {@code loggedDuring(n)} events. */
    private ExitDrain.Pipeline pipeline(IntPredicate stoppedDuring, java.util.function.IntUnaryOperator loggedDuring) {
        return pipeline(stoppedDuring, loggedDuring, 0);
    }

    /** As above, with a framework exit hook that runs during the first {@code frameworkWaits} waits. */
    private ExitDrain.Pipeline pipeline(IntPredicate stoppedDuring, java.util.function.IntUnaryOperator loggedDuring,
                                        int frameworkWaits) {
        return pipeline(stoppedDuring, loggedDuring, waits -> waits < frameworkWaits);
    }

    /** As above, with a framework exit hook that runs when {@code frameworkRunsAfter} the waits so far. */
    private ExitDrain.Pipeline pipeline(IntPredicate stoppedDuring, java.util.function.IntUnaryOperator loggedDuring,
                                        IntPredicate frameworkRunsAfter) {
        return new ExitDrain.Pipeline() {
            int waits;

            @Override public boolean frameworkExiting() { return frameworkRunsAfter.test(waits); }

            @Override public long appended() { return appended; }
            @Override public void requestFlush() { calls.add("flush@" + appended); }
            @Override public boolean awaitStopped(long millis) {
                int n = waits++;
                calls.add("wait " + millis);
                appended += loggedDuring.applyAsInt(n);
                ticker.advanceMillis(millis);
                return stoppedDuring.test(n);
            }
            @Override public void stop(long millis) { calls.add("stop " + millis); }
        };
    }

    @Test
    void withNothingLoggedAtExitItSendsWhatIsBufferedWaitsOneQuietIntervalAndStops() {
        appended = 40;
        new ExitDrain(pipeline(n -> false, n -> 0), SHUTDOWN_TIMEOUT, ticker).run();
        assertThat(calls).containsExactly("flush@40", "wait 250", "stop 9750");
    }

    @Test
    void eventsOtherShutdownHooksLogAreSentBeforeTheStop() {
        appended = 40;
        // A Spring context closes: 30 lines during the first interval, 5 during the second, then quiet.
        new ExitDrain(pipeline(n -> false, n -> n == 0 ? 30 : n == 1 ? 5 : 0), SHUTDOWN_TIMEOUT, ticker).run();
        assertThat(calls).containsExactly("flush@40", "wait 250", "flush@70", "wait 250", "flush@75", "wait 250",
                "stop 9250");
    }

    @Test
    void whenTheFrameworkStopsThePipelineMeanwhileThatStopDeliversAndTheDrainDoesNotStopAgain() {
        new ExitDrain(pipeline(n -> n == 1, n -> 10), SHUTDOWN_TIMEOUT, ticker).run();
        assertThat(calls).containsExactly("flush@0", "wait 250", "flush@10", "wait 250");
    }

    @Test
    void aHookThatNeverStopsLoggingGetsHalfTheShutdownTimeoutAndTheStopTheOtherHalf() {
        new ExitDrain(pipeline(n -> false, n -> 1), SHUTDOWN_TIMEOUT, ticker).run();
        assertThat(calls.stream().filter(c -> c.startsWith("wait")).mapToLong(c -> Long.parseLong(c.substring(5))).sum())
                .isEqualTo(SHUTDOWN_TIMEOUT / 2);
        assertThat(calls).last().isEqualTo("stop 5000");
    }

    @Test
    void whileAFrameworkExitHookRunsTheDrainSendsWhatArrivesAndLetsThatHookStopThePipeline() {
        // Spring Boot's graceful shutdown: 40 quiet intervals (10 s, past shutdownTimeoutMs) while
        // a request finishes, a line now and then, then Boot stops the logging system.
        new ExitDrain(pipeline(n -> n == 40, n -> n % 10 == 0 ? 1 : 0, 41), SHUTDOWN_TIMEOUT, ticker).run();
        assertThat(calls).hasSize(82).last().isEqualTo("wait 250");
        assertThat(calls.stream().filter(c -> c.startsWith("flush")).count()).isEqualTo(41);
        assertThat(calls.stream().filter(c -> c.startsWith("stop"))).isEmpty();
    }

    @Test
    void aFrameworkExitHookThatEndsWithoutStoppingThePipelineLeavesTheUsualDrainItsWholeTimeout() {
        appended = 5;
        // Spring Boot with logging.register-shutdown-hook=false: its hook closes the contexts (3
        // intervals, 7 lines) and ends; the drain then runs as if it had just started.
        new ExitDrain(pipeline(n -> false, n -> n == 1 ? 7 : 0, 3), SHUTDOWN_TIMEOUT, ticker).run();
        assertThat(calls).containsExactly("flush@5", "wait 250", "flush@5", "wait 250", "flush@12", "wait 250",
                "flush@12", "wait 250", "stop 9750");
    }

    @Test
    void aFrameworkExitHookThatStartsAfterOursIsStillWaitedFor() {
        appended = 20;
        // The JVM started our hook first: Spring Boot's is not running at the first look, but is
        // after the first quiet interval, and stops the pipeline during the fourth.
        new ExitDrain(pipeline(n -> n == 3, n -> n == 2 ? 4 : 0, waits -> waits >= 1), SHUTDOWN_TIMEOUT, ticker).run();
        assertThat(calls).containsExactly("flush@20", "wait 250", "flush@20", "wait 250", "flush@20", "wait 250",
                "flush@24", "wait 250");
    }

    @Test
    void aFrameworkExitHookThatCannotBeToldAboutIsDrainedWithoutIt() {
        appended = 2;
        ExitDrain.Pipeline failing = new ExitDrain.Pipeline() {
            @Override public long appended() { return appended; }
            @Override public void requestFlush() { calls.add("flush@" + appended); }
            @Override public boolean awaitStopped(long millis) {
                calls.add("wait " + millis);
                ticker.advanceMillis(millis);
                return false;
            }
            @Override public void stop(long millis) { calls.add("stop " + millis); }
            @Override public boolean frameworkExiting() { throw new NoClassDefFoundError("a closed class loader"); }
        };
        new ExitDrain(failing, SHUTDOWN_TIMEOUT, ticker).run();
        assertThat(calls).containsExactly("flush@2", "wait 250", "stop 9750");
    }

    @Test
    void aZeroShutdownTimeoutStopsAtOnce() {
        appended = 3;
        new ExitDrain(pipeline(n -> false, n -> 0), 0, ticker).run();
        assertThat(calls).containsExactly("stop 1");
    }

    @Test
    void anInterruptedWaitStopsWithTheTimeLeft() {
        ExitDrain.Pipeline interrupted = new ExitDrain.Pipeline() {
            @Override public long appended() { return 1; }
            @Override public void requestFlush() { calls.add("flush"); }
            @Override public boolean awaitStopped(long millis) throws InterruptedException {
                ticker.advanceMillis(100);
                throw new InterruptedException();
            }
            @Override public void stop(long millis) { calls.add("stop " + millis); }
            @Override public boolean frameworkExiting() { return false; }
        };
        new ExitDrain(interrupted, SHUTDOWN_TIMEOUT, ticker).run();
        assertThat(calls).containsExactly("flush", "stop 9900");
        assertThat(Thread.interrupted()).isTrue(); // restored for the stop, cleared here for the next test
    }
}
