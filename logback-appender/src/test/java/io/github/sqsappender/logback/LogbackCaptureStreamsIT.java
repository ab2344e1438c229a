package io.github.sqsappender.logback;

import io.github.sqsappender.core.testing.AbstractCaptureStreamsIT;
import io.github.sqsappender.core.testing.ChildJvm;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code captureStreams} with Logback, configured from {@code logback-capture.xml}: a console
 * appender (which looks {@code System.out} up on every write), one behind an {@code AsyncAppender},
 * Logback's status printer; {@link LogbackCaptureMain} resets and configures again, printing in
 * between, which the held capture keeps for the new appender.
 */
class LogbackCaptureStreamsIT extends AbstractCaptureStreamsIT {

    @Override
    protected ChildJvm child(String queueUrl) {
        return configuredBy("logback-capture.xml", queueUrl);
    }

    /** A child JVM configured from {@code file} (in the test classes), with {@code -Dsqs.queueUrl}. */
    private static ChildJvm configuredBy(String file, String queueUrl) {
        return ChildJvm.onTestClasspath().withJvmArgs("-Dsqs.queueUrl=" + queueUrl,
                "-Dlogback.configurationFile=" + Path.of("target/test-classes", file).toAbsolutePath());
    }

    @Override
    protected String mainClass() {
        return LogbackCaptureMain.class.getName();
    }

    @Override
    protected List<String> extraBodies() {
        return List.of("stdout|INFO|main|while-reconfiguring"); // printed between reset and configure
    }

    @Override
    protected ChildJvm filteringChild(String queueUrl) {
        return configuredBy("logback-capture-filter.xml", queueUrl);
    }

    @Override
    protected String filteringMainClass() {
        return CaptureFilterMain.class.getName();
    }

    @Override
    protected List<String> consoleLines() {
        return List.of("console INFO com.example.Capture: logged-1", "console-err INFO com.example.Capture: logged-2");
    }
}
