package io.github.sqsappender.logback;

import io.github.sqsappender.core.testing.ChildJvm;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.PrintingProgram;
import io.github.sqsappender.core.testing.WithEmbeddedSqs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code captureStreams} in a child JVM whose {@code System.out}/{@code System.err} are really
 * replaced, configured from {@code logback-capture.xml}: a console appender (which looks
 * {@code System.out} up on every write), one behind an {@code AsyncAppender}, Logback's status
 * printer. Every printed line arrives exactly once as a {@code stdout}/{@code stderr} event; nothing
 * the framework prints does; the console still shows everything; a reconfiguration (reset, then
 * configure) keeps capturing, also what is printed between the two; at the end the JVM's own streams are back and open, or the partial
 * line is shipped at exit.
 */
@Timeout(300)
@ExtendWith(WithEmbeddedSqs.class)
class LogbackCaptureStreamsIT {

    private static ChildJvm.Result run(EmbeddedSqs sqs, String queueUrl, String mode) throws Exception {
        ChildJvm.Result r = ChildJvm.onTestClasspath()
                .withJvmArgs("-Dsqs.queueUrl=" + queueUrl, "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8",
                        "-Dlogback.configurationFile=" + Path.of("target/test-classes/logback-capture.xml").toAbsolutePath())
                .run("capture-" + mode, 120, LogbackCaptureMain.class.getName(), mode);
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<String> expected = new java.util.ArrayList<>(PrintingProgram.expectedBodies());
        expected.add("stdout|INFO|main|while-reconfiguring"); // printed between reset and configure
        List<String> bodies = sqs.drainBodies(queueUrl, expected.size(), Duration.ofSeconds(2));
        assertThat(bodies).as("every printed line once, nothing the frameworks printed")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(r.output()).as("the console still shows what was printed and logged")
                .contains("out-1", "err-1", "piece-by-piece", "py-1999 héllo wörld", "t3-499", "console INFO com.example.Capture: logged-1",
                        "console-err INFO com.example.Capture: logged-2", "after-reconfigure");
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
}
