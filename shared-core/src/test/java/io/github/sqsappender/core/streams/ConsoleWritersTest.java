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

    @Test
    void whatFrameworkStatusReportsStartWithIsWorthAWalkAndOrdinaryLinesAreNot() {
        // Log4j2 2.23+, its status logger before 2.23 (Spark 3.5 ships 2.20), and before a configuration
        assertThat(ConsoleWriters.looksLikeReport("2026-12-03T14:31:31.934Z main ERROR Unable to ...")).isTrue();
        assertThat(ConsoleWriters.looksLikeReport("2026-12-03 14:31:31,934 main ERROR Unable to ...")).isTrue();
        assertThat(ConsoleWriters.looksLikeReport("ERROR StatusLogger Reconfiguration failed: No configuration found")).isTrue();
        assertThat(ConsoleWriters.looksLikeReport("WARN StatusLogger Multiple logging implementations found")).isTrue();
        // Logback and SLF4J
        assertThat(ConsoleWriters.looksLikeReport("14:31:31,934 |-INFO in ch.qos.logback.classic.LoggerContext")).isTrue();
        assertThat(ConsoleWriters.looksLikeReport("SLF4J(W): No SLF4J providers were found.")).isTrue();
        // A program's own lines: no walk
        assertThat(ConsoleWriters.looksLikeReport("processed 1,000 rows")).isFalse();
        assertThat(ConsoleWriters.looksLikeReport("2026-12-03 done")).isFalse();
        assertThat(ConsoleWriters.looksLikeReport("ERROR: disk full")).isFalse();
        assertThat(ConsoleWriters.looksLikeReport("")).isFalse();
    }
}
