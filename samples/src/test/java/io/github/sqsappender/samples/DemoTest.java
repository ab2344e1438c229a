package io.github.sqsappender.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's demo, end to end at a small size: every logged event must be received. */
@Timeout(180)
class DemoTest {

    @Test
    void everyLoggedEventIsReceived() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        int exit = Demo.run(new String[] {"--events", "1000", "--threads", "4", "--receivers", "2"}, out);

        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(exit).isZero();
        assertThat(printed).contains("OK: every logged event was received, in every mode.");
        assertThat(printed).contains("the 2,097,152-byte event went to S3 in every mode and came back intact through its pointer: yes");
        for (String mode : List.of("one event per message", "packed (ndjson)", "packed + gzip")) {
            assertThat(printed).containsPattern(java.util.regex.Pattern.quote(mode) + " +1,001 +1,001 ");
        }
        // One event per message: 1,001 messages; packed: a handful.
        assertThat(printed).containsPattern("one event per message +1,001 +1,001 +1,001 ");
    }
}
