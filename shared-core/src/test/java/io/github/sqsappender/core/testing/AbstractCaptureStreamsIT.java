package io.github.sqsappender.core.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code captureStreams} suite both frameworks run: a child JVM whose
 * {@code System.out}/{@code System.err} are really replaced, configured from the framework's own
 * file (console appenders that write to the captured streams, one behind an {@code AsyncAppender},
 * status output at debug), runs {@link PrintingProgram}, logs, reconfigures, and ends with
 * {@code stop} (logging stopped: the JVM's streams must be back and open) or {@code exit} (main
 * returns with a partial line pending, shipped at exit). Every printed line arrives exactly once as
 * a {@code stdout}/{@code stderr} event; nothing the frameworks print does; the console still shows
 * everything.
 */
@Timeout(300)
@ExtendWith(WithEmbeddedSqs.class)
public abstract class AbstractCaptureStreamsIT {

    /** The child JVM, with the framework's configuration file; {@code queueUrl} is {@code -Dsqs.queueUrl}. */
    protected abstract ChildJvm child(String queueUrl);

    /** The child's main class: {@code PrintingProgram.printAll}, logging, a reconfiguration, then {@code args[0]}. */
    protected abstract String mainClass();

    /**
     * The child JVM with a configuration file whose SQS appender captures both streams, formats
     * {@code %logger|%message} and filters at WARN; {@code queueUrl} is {@code -Dsqs.queueUrl}.
     */
    protected abstract ChildJvm filteringChild(String queueUrl);

    /**
     * Its main class: prints {@code printed-out} and {@code printed-err}, logs {@code logged-info}
     * and {@code logged-warn} through logger {@code com.example.Filter}, then stops logging.
     */
    protected abstract String filteringMainClass();

    /** Bodies this framework's run ships beyond {@link PrintingProgram#expectedBodies()}. */
    protected List<String> extraBodies() {
        return List.of();
    }

    /** Lines the framework's console appenders print that the console must show. */
    protected abstract List<String> consoleLines();

    /**
     * Runs the child with {@code mode} (and {@code jvmArgs}); asserts every printed line arrived
     * once, nothing the frameworks printed did, and the console still shows it all.
     */
    protected ChildJvm.Result run(EmbeddedSqs sqs, String queueUrl, String mode, String... jvmArgs) throws Exception {
        ChildJvm.Result r = child(queueUrl).withJvmArgs("-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8")
                .withJvmArgs(jvmArgs)
                .run("capture-" + mode + (jvmArgs.length > 0 ? "-variant" : ""), 120, mainClass(), mode);
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<String> expected = new ArrayList<>(PrintingProgram.expectedBodies());
        expected.addAll(extraBodies());
        List<String> bodies = sqs.drainBodies(queueUrl, expected.size(), Duration.ofSeconds(2));
        assertThat(bodies).as("every printed line once, nothing the frameworks printed; the program's output:%n%s",
                        r.output())
                .containsExactlyInAnyOrderElementsOf(expected);
        List<String> console = new ArrayList<>(List.of("out-1", "err-1", "piece-by-piece", "py-1999 héllo wörld",
                "after-reconfigure"));
        console.addAll(consoleLines());
        assertThat(r.output()).as("the console still shows what was printed and logged").contains(console);
        // The printers write each line in three pieces, so on the console another thread's line may
        // land between them (as it would without the capture); every piece is there all the same.
        assertThat(r.output().split("t3-", -1)).as("the console shows each of t3's lines").hasSize(PrintingProgram.LINES_PER_THREAD + 1);
        return r;
    }

    @Test
    void everyPrintedLineArrivesOnceAndTheStreamsComeBackOpenWhenLoggingStops(EmbeddedSqs sqs) throws Exception {
        ChildJvm.Result r = run(sqs, sqs.createQueue("capture-stop"), "stop");
        assertThat(r.printed("out-restored")).isEqualTo("true");
        assertThat(r.printed("err-restored")).isEqualTo("true");
        assertThat(r.output()).contains("err-still-open");
        assertThat(r.printed("err-error")).as("the JVM's System.err was not closed").isEqualTo("false");
    }

    @Test
    void aPartialLineIsShippedWhenMainReturnsWithoutStoppingLogging(EmbeddedSqs sqs) throws Exception {
        run(sqs, sqs.createQueue("capture-exit"), "exit");
    }

    @Test
    void capturedLinesPassTheAppendersOwnFilters(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("capture-filter");
        ChildJvm.Result r = filteringChild(queueUrl).run("capture-filter", 120, filteringMainClass());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("printed-out", "printed-err"); // the console shows both
        // A WARN threshold: stdout's lines are INFO events, stderr's ERROR.
        assertThat(sqs.drainBodies(queueUrl, 3, Duration.ofSeconds(2)))
                .containsExactlyInAnyOrder("stderr|printed-err", "com.example.Filter|logged-warn");
    }
}
