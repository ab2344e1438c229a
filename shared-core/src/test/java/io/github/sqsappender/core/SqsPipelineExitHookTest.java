package io.github.sqsappender.core;

import io.github.sqsappender.core.testing.InMemorySqsSender;
import io.github.sqsappender.core.testing.RecordingShutdownHooks;
import io.github.sqsappender.core.testing.RecordingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM exit hook a pipeline installs when its framework will not stop it at exit. */
@Timeout(60)
class SqsPipelineExitHookTest {

    private final InMemorySqsSender sender = new InMemorySqsSender();
    private final RecordingShutdownHooks hooks = new RecordingShutdownHooks();
    private final RecordingStatus status = new RecordingStatus();

    private SqsPipeline pipeline() throws InvalidConfigurationException {
        SqsAppenderConfig config = SqsAppenderConfig.builder("exit")
                .set("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q")
                .set("lingerMs", "600000") // nothing leaves before the exit: only the hook can send it
                .set("jmx", "false").build();
        return SqsPipeline.builder(config, status).sender(sender).shutdownHooks(hooks).build();
    }

    @Test
    void exitHookDeliversWhatIsBufferedAndStopsThePipeline() throws Exception {
        SqsPipeline p = pipeline();
        p.start();
        p.stopAtJvmExit();
        for (int i = 0; i < 25; i++) {
            p.append("line-" + i, "e", SqsPipelineThreadsTest.ACCESSOR);
        }
        assertThat(hooks.live()).hasSize(1);
        assertThat(hooks.live().get(0).getName()).isEqualTo("sqs-appender-exit-exit");

        hooks.runAll(); // the JVM exits

        assertThat(p.isStarted()).isFalse();
        assertThat(sender.delivered()).hasSize(25).doesNotHaveDuplicates();
        assertThat(p.metrics().getEventsSent()).isEqualTo(25);
        assertThat(p.metrics().getEventsDropped()).isZero();
        assertThat(sender.isClosed()).isTrue();
    }

    @Test
    void whileAFrameworkExitHookRunsWhatIsLoggedIsSentWithoutWaitingForTheLingerOrTheStop() throws Exception {
        SqsPipeline p = pipeline();
        p.start();
        java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
        Thread frameworkHook = new Thread(() -> { // Spring Boot closing a context, however long it takes
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "framework-exit-hook");
        frameworkHook.start();
        p.stopAtJvmExit(() -> java.util.List.of(frameworkHook));
        p.append("before", "e", SqsPipelineThreadsTest.ACCESSOR);
        Thread exit = hooks.live().get(0);
        exit.start(); // the JVM exits

        io.github.sqsappender.core.testing.Await.until("the buffered line sent at once",
                () -> sender.delivered().contains("before"));
        for (int i = 0; i < 3; i++) { // what the closing service logs, the linger being ten minutes
            p.append("closing-" + i, "e", SqsPipelineThreadsTest.ACCESSOR);
            String line = "closing-" + i;
            io.github.sqsappender.core.testing.Await.until(line + " sent while the framework's hook runs",
                    () -> sender.delivered().contains(line));
        }
        assertThat(frameworkHook.isAlive()).isTrue();
        assertThat(p.isStarted()).as("left for the framework to stop").isTrue();

        closing.countDown(); // the hook ends without stopping the pipeline: the usual drain stops it
        exit.join(30_000);
        assertThat(exit.isAlive()).isFalse();
        assertThat(p.isStarted()).isFalse();
        assertThat(sender.delivered()).containsExactly("before", "closing-0", "closing-1", "closing-2");
        assertThat(p.metrics().getEventsDropped()).isZero();
    }

    @Test
    void duringOneOfTheExitsWaitsWhatIsLoggedIsSentWithoutWaitingForTheWaitToEnd() throws Exception {
        SqsPipeline p = pipeline(); // lingerMs ten minutes
        p.start();
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Thread waiting = new Thread(() -> {
            try {
                stopped.set(p.awaitStoppedSendingWhatArrives(600_000)); // one wait of ten minutes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exit-wait");
        waiting.start();
        for (int i = 0; i < 3; i++) {
            String line = "late-" + i;
            p.append(line, "e", SqsPipelineThreadsTest.ACCESSOR);
            io.github.sqsappender.core.testing.Await.until(line + " sent during the wait",
                    () -> sender.delivered().contains(line));
        }
        assertThat(waiting.isAlive()).as("still in its one wait").isTrue();
        p.stop(0);
        waiting.join(30_000);
        assertThat(stopped).isTrue();
    }

    @Test
    void eventsLoggedAfterTheExitStopAreCountedAsShutdownAndReportedOnce() throws Exception {
        SqsPipeline p = pipeline();
        p.start();
        p.stopAtJvmExit();
        p.append("before", "e", SqsPipelineThreadsTest.ACCESSOR);
        hooks.runAll();
        int warningsAtStop = status.warnings.size();
        for (int i = 0; i < 3; i++) {
            p.append("after-" + i, "e", SqsPipelineThreadsTest.ACCESSOR);
        }
        assertThat(sender.delivered()).hasSize(1);
        assertThat(p.metrics().getEventsAppended()).isEqualTo(4);
        assertThat(p.metrics().getEventsDropped()).isEqualTo(3);
        assertThat(p.metrics().getEventsAppended())
                .isEqualTo(p.metrics().getEventsSent() + p.metrics().getEventsSentToFallback() + p.metrics().getEventsDropped());
        assertThat(status.warnings.subList(warningsAtStop, status.warnings.size())).singleElement().asString()
                .contains("events logged after it stopped are dropped (counted as shutdown)");
    }

    @Test
    void stopRemovesTheHookSoAStoppedAppenderLeavesNothingBehind() throws Exception {
        for (int cycle = 0; cycle < 20; cycle++) { // reconfigure / undeploy cycles
            SqsPipeline p = pipeline();
            p.start();
            p.stopAtJvmExit();
            p.stopAtJvmExit(); // idempotent
            assertThat(hooks.live()).hasSize(1);
            p.stop(0);
            assertThat(hooks.live()).isEmpty();
        }
        assertThat(hooks.added()).isEqualTo(20);
        assertThat(hooks.removed()).isEqualTo(20);
    }

    @Test
    void noHookIsInstalledUnlessAskedOrAfterStop() throws Exception {
        SqsPipeline p = pipeline();
        p.start();
        assertThat(hooks.live()).isEmpty();
        p.stop(0);
        p.stopAtJvmExit();
        assertThat(hooks.added()).isZero();
    }

    @Test
    void hookContextClassLoaderIsClearedSoItPinsNoApplicationClassLoader() throws Exception {
        SqsPipeline p = pipeline();
        p.start();
        p.stopAtJvmExit();
        assertThat(hooks.live().get(0).getContextClassLoader()).isNull();
        p.stop(0);
    }
}
