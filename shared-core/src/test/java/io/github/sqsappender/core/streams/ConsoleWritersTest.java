package io.github.sqsappender.core.streams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleWritersTest {

    @Test
    void loggingFrameworksAndTheEngineAreLoggingWritersApplicationsAndTestKitsAreNot() {
        assertThat(ConsoleWriters.isLoggingClass("org.apache.logging.log4j.core.appender.ConsoleAppender")).isTrue();
        assertThat(ConsoleWriters.isLoggingClass("org.apache.logging.log4j.status.StatusConsoleListener")).isTrue();
        assertThat(ConsoleWriters.isLoggingClass("ch.qos.logback.core.ConsoleAppender")).isTrue();
        assertThat(ConsoleWriters.isLoggingClass("org.slf4j.helpers.Reporter")).isTrue();
        assertThat(ConsoleWriters.isLoggingClass("io.github.sqsappender.core.internal.Dispatcher")).isTrue();
        assertThat(ConsoleWriters.isLoggingClass("io.github.sqsappender.core.streams.StreamCapture")).isFalse();
        assertThat(ConsoleWriters.isLoggingClass("io.github.sqsappender.core.testing.PrintingProgram")).isFalse();
        assertThat(ConsoleWriters.isLoggingClass("org.apache.spark.util.Utils")).isFalse();
        assertThat(ConsoleWriters.isLoggingClass("com.example.App")).isFalse();
    }
}
