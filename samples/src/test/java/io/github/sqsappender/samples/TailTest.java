package io.github.sqsappender.samples;

import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The tail consumer against ElasticMQ on loopback. */
@Timeout(120)
class TailTest {

    static EmbeddedSqs sqs;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    static void fill(String url, int count) {
        for (int i = 0; i < count; i += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int j = i; j < Math.min(count, i + 10); j++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + j).messageBody("m-" + j).build());
            }
            sqs.client().sendMessageBatch(b -> b.queueUrl(url).entries(entries)).join();
        }
    }

    @Test
    void receivesEverythingWithSeveralReceiversDeletesItAndStopsWhenIdle() throws Exception {
        String url = sqs.createQueue("tail-all");
        fill(url, 2_000);
        Set<String> bodies = ConcurrentHashMap.newKeySet();
        try (Tail tail = new Tail(sqs.client(), url, 4, true, 1)) {
            Tail.Result result = tail.run(0, Duration.ofSeconds(2), (m, at) -> bodies.add(m.body()), null);
            assertThat(result.received()).isEqualTo(2_000);
            assertThat(result.deleted()).isEqualTo(2_000);
            System.out.printf("[measure] tail drained %,d messages with 4 receivers at %,.0f msg/s (incl. %d s idle stop)%n",
                    result.received(), result.perSecond(), 2);
        }
        assertThat(bodies).hasSize(2_000);
        assertThat(sqs.approximateDepth(url)).isZero();
    }

    @Test
    void stopsAfterCountAndPeekLeavesMessagesInTheQueue() throws Exception {
        String url = sqs.createQueue("tail-count");
        fill(url, 50);
        try (Tail tail = new Tail(sqs.client(), url, 1, false, 1)) {
            Tail.Result result = tail.run(20, null, (m, at) -> { }, null);
            assertThat(result.received()).isBetween(20L, 29L); // one receive returns up to 10
            assertThat(result.deleted()).isZero();
        }
        assertThat(sqs.approximateDepth(url)).isEqualTo(50);
    }
}
