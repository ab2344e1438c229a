package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.testing.AbstractCaptureStreamsIT;
import io.github.sqsappender.core.testing.ChildJvm;

import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code captureStreams} with Log4j2, configured from {@code log4j2-capture.xml}: a console
 * appender with {@code follow="true"}, one behind an {@code AsyncAppender}, the status logger at
 * debug; {@link CaptureMain} reconfigures, which hands the capture over.
 */
class Log4j2CaptureStreamsIT extends AbstractCaptureStreamsIT {

    @Override
    protected ChildJvm child(String queueUrl) {
        return configuredBy("log4j2-capture.xml", queueUrl);
    }

    /** A child JVM configured from {@code file} (in the test classes), with {@code -Dsqs.queueUrl}. */
    private static ChildJvm configuredBy(String file, String queueUrl) {
        return ChildJvm.onTestClasspath().withJvmArgs("-Dsqs.queueUrl=" + queueUrl,
                "-Dlog4j2.configurationFile=" + Path.of("target/test-classes", file).toAbsolutePath());
    }

    @Override
    protected String mainClass() {
        return CaptureMain.class.getName();
    }

    /**
     * Log4j2 starts the new configuration's appenders while the old ones still run: the new file
     * renames the SQS appender ({@code <Sqs name="SQS-renamed">}), or keeps "SQS" without
     * {@code captureStreams} and gives them to a second {@code <Sqs name="SQS-printed">}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"log4j2-capture-renamed.xml", "log4j2-capture-moved.xml"})
    void aReconfigurationThatRenamesTheAppenderOrMovesTheCaptureHandsItOverWithoutAnError(String file, EmbeddedSqs sqs)
            throws Exception {
        ChildJvm.Result r = run(sqs, sqs.createQueue("capture-" + file.replace(".xml", "")), "stop",
                "-Dcapture.reconfigureTo=" + Path.of("target/test-classes", file).toAbsolutePath());
        assertThat(r.output()).doesNotContain("is already captured");
        assertThat(r.printed("out-restored")).isEqualTo("true");
        assertThat(r.printed("err-restored")).isEqualTo("true");
    }

    @Override
    protected ChildJvm filteringChild(String queueUrl) {
        return configuredBy("log4j2-capture-filter.xml", queueUrl);
    }

    @Override
    protected String filteringMainClass() {
        return CaptureFilterMain.class.getName();
    }

    @Override
    protected List<String> consoleLines() {
        return List.of("console INFO com.example.Capture: logged-1", "console-out INFO com.example.Capture: logged-2");
    }
}
