package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.testing.AbstractCaptureStreamsIT;
import io.github.sqsappender.core.testing.ChildJvm;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code captureStreams} with Log4j2, configured from {@code log4j2-capture.xml}: a console
 * appender with {@code follow="true"}, one behind an {@code AsyncAppender}, the status logger at
 * debug; {@link CaptureMain} reconfigures, which hands the capture over.
 */
class Log4j2CaptureStreamsIT extends AbstractCaptureStreamsIT {

    @Override
    protected ChildJvm child(String queueUrl) {
        return ChildJvm.onTestClasspath().withJvmArgs("-Dsqs.queueUrl=" + queueUrl,
                "-Dlog4j2.configurationFile=" + Path.of("target/test-classes/log4j2-capture.xml").toAbsolutePath());
    }

    @Override
    protected String mainClass() {
        return CaptureMain.class.getName();
    }

    @Override
    protected List<String> consoleLines() {
        return List.of("console INFO com.example.Capture: logged-1", "console-out INFO com.example.Capture: logged-2");
    }
}
