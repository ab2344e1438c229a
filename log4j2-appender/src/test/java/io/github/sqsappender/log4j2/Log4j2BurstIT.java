package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.testing.ChildJvm;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.WithEmbeddedSqs;
import io.github.sqsappender.reader.LogMessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst as a cluster task makes one: four threads log 200,000 short lines as fast as they can,
 * once the application is up (its first line delivered), with {@code packing=ndjson} and every other
 * attribute at its default, in a child JVM whose {@code main} then returns. Every line must arrive: the
 * buffer is bounded by memory, not by a count that tiny events exhaust (200,000 of them fit the
 * default 32 MiB with room to spare, so the outcome does not depend on how fast the dispatcher is on
 * a loaded machine; how large a burst the dispatcher absorbs beyond that is a benchmark, in
 * docs/BENCHMARKS.md "Bursts").
 */
@Timeout(300)
@ExtendWith(WithEmbeddedSqs.class)
class Log4j2BurstIT {

    private static final int LINES = 200_000;
    private static final int THREADS = 4;

    @Test
    void fourThreadsBurstingTwoHundredThousandShortLinesWithPackingAndDefaultsLoseNone(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("burst");
        ChildJvm.Result r = ChildJvm.onTestClasspath()
                .withJvmArgs("-Xmx1g", "-Dsqs.queueUrl=" + queueUrl,
                        "-Dlog4j2.configurationFile=" + Path.of("target/test-classes/log4j2-burst.xml").toAbsolutePath())
                .run("burst", 240, BurstMain.class.getName(), String.valueOf(LINES), String.valueOf(THREADS), "when-ready");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("dropped")).as(r.output()).isEqualTo("0");

        int messages = (int) sqs.approximateDepth(queueUrl);
        List<Message> received = sqs.drain(queueUrl, messages, Duration.ofSeconds(2));
        Set<String> events = new HashSet<>();
        int records = 0;
        for (Message m : received) {
            Map<String, String> attributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
            for (String event : LogMessageReader.events(m.messageId(), m.body(), attributes)) {
                events.add(event);
                records++;
            }
        }
        assertThat(records).as("records, duplicates included").isEqualTo(LINES + 1);
        assertThat(events).hasSize(LINES + 1).contains("ready");
        assertThat(events.stream().filter(e -> e.matches("row-\\d{7}")).count()).isEqualTo(LINES);
        System.out.printf("[measure] log4j2 burst, packing=ndjson, defaults otherwise: %,d of %,d lines by %d threads in %s ms "
                        + "delivered in %,d messages; first acknowledged burst request %s ms after the burst began; "
                        + "peak heap %s MiB; child JVM %,d ms in all%n",
                events.size(), LINES, THREADS, r.printed("burst-ms"), received.size(), r.printed("first-burst-ack-ms"),
                r.printed("peak-heap-mb"), r.wallMillis());
    }
}
