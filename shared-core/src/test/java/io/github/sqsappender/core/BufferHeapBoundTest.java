package io.github.sqsappender.core;

import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.testing.InMemorySqsSender;
import io.github.sqsappender.core.testing.RecordingStatus;
import io.github.sqsappender.core.testing.StringEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer's byte bound is a bound on memory: each held event is charged its heap cost, so with
 * SQS unreachable a flood of tiny events fills the default 32 MiB and no more, and the event count is
 * not the limit that bites first. Heap is measured after a full GC, against a baseline taken the same way.
 */
@Timeout(120)
class BufferHeapBoundTest {

    private static final long SLACK = 16L << 20;

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void withSqsUnreachableAMillionTinyEventsThenLargeOnesStayWithinMaxBufferBytesAndEveryDropIsCounted() throws Exception {
        SqsAppenderConfig config = SqsAppenderConfig.builder("heap")
                .set("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q")
                .set("packing", "ndjson").set("jmx", "false").build();
        InMemorySqsSender sender = new InMemorySqsSender();
        sender.resolveWith(SendFailure.retryable("NetworkDown", "SQS is unreachable"));
        long baseline = usedHeapAfterGc();
        SqsPipeline pipeline = SqsPipeline.builder(config, new RecordingStatus()).sender(sender).build();
        pipeline.start();
        SqsAppenderMetrics m = pipeline.metrics();
        try {
            for (int i = 0; i < 1_000_000; i++) {
                pipeline.append(String.format("row-%06d", i), "e", StringEvents.INFO); // 10 bytes
            }
            long afterTiny = usedHeapAfterGc() - baseline;
            long heldTiny = m.getBufferedEvents();
            assertThat(m.getEventsAppended()).isEqualTo(1_000_000);
            assertThat(heldTiny + m.getEventsDroppedOverflow()).as("each event held or counted").isEqualTo(1_000_000);
            assertThat(heldTiny).as("a burst of 200,000 short lines fits the default buffer").isGreaterThan(200_000);
            assertThat(m.getBufferedBytes()).isLessThanOrEqualTo(config.maxBufferBytes());
            assertThat(afterTiny).as("heap held by %,d tiny events", heldTiny).isLessThanOrEqualTo(config.maxBufferBytes() + SLACK);

            String twoKb = "x".repeat(2_040);
            for (int i = 0; i < 100_000; i++) {
                pipeline.append(twoKb + String.format("%08d", i), "e", StringEvents.INFO);
            }
            long afterLarge = usedHeapAfterGc() - baseline;
            assertThat(m.getEventsAppended()).isEqualTo(1_100_000);
            assertThat(m.getBufferedEvents() + m.getEventsDroppedOverflow()).isEqualTo(1_100_000);
            assertThat(afterLarge).isLessThanOrEqualTo(config.maxBufferBytes() + SLACK);
            System.out.printf("[measure] SQS unreachable, defaults + packing: %,d of 1,000,000 10-byte events held "
                            + "(%,d bytes charged), heap after GC %,d KiB over the baseline (%,d bytes per held event); "
                            + "after 100,000 2 KB events more, %,d events held, heap %,d KiB over the baseline%n",
                    heldTiny, m.getBufferedBytes(), afterTiny >> 10, afterTiny / heldTiny, m.getBufferedEvents(), afterLarge >> 10);
        } finally {
            pipeline.stop(100);
        }
        assertThat(m.getBufferedEvents()).isZero();
        assertThat(m.getEventsSent() + m.getEventsSentToFallback() + m.getEventsDropped()).isEqualTo(m.getEventsAppended());
    }
}
