package io.github.sqsappender.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OwnLineStreamTest {

    @Test
    void theToolsLinesStartOnALineOfTheirOwnAndTheCommandsBytesPassAsTheyAre() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream err = OwnLineStream.of(new PrintStream(console, true, StandardCharsets.UTF_8));
        assertThat(OwnLineStream.of(err)).isSameAs(err);
        err.println("sqs-appender: first");
        byte[] partial = "progress 40%".getBytes(StandardCharsets.UTF_8);
        err.write(partial, 0, partial.length);
        err.println("sqs-appender: after an unended line");
        byte[] ended = "a whole line\n".getBytes(StandardCharsets.UTF_8);
        err.write(ended, 0, ended.length);
        err.println("sqs-appender: after an ended line");
        err.write('x');
        err.println("sqs-appender: after a byte");
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo(String.join(System.lineSeparator(),
                "sqs-appender: first", "progress 40%", "sqs-appender: after an unended line")
                + System.lineSeparator() + "a whole line\n" + "sqs-appender: after an ended line" + System.lineSeparator()
                + "x" + System.lineSeparator() + "sqs-appender: after a byte" + System.lineSeparator());
    }
}
