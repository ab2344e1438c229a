package io.github.sqsappender.core.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryQueueAndSendGateTest {

    private static final long MS = 1_000_000L;

    private static OutgoingMessage sentAt(long sequence, long now) {
        OutgoingMessage m = OutgoingMessage.single(IntakeEvent.of("m" + sequence, 0), sequence);
        m.markSent(now);
        return m;
    }

    @Test
    void retriesComeOutEarliestFirstThenInLogOrder() {
        RetryQueue q = new RetryQueue(60_000 * MS);
        OutgoingMessage late = sentAt(1, 0);
        OutgoingMessage earlyButNewer = sentAt(5, 0);
        OutgoingMessage earlyOlder = sentAt(2, 0);
        q.schedule(late, 300 * MS);
        q.schedule(earlyButNewer, 100 * MS);
        q.schedule(earlyOlder, 100 * MS);

        assertThat(q.pollDue(99 * MS)).isNull();
        assertThat(q.nextDueAt()).isEqualTo(100 * MS);
        assertThat(q.pollDue(100 * MS)).isSameAs(earlyOlder);
        assertThat(q.pollDue(100 * MS)).isSameAs(earlyButNewer);
        assertThat(q.pollDue(299 * MS)).isNull();
        assertThat(q.pollDue(300 * MS)).isSameAs(late);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void aRetryPastTheDeliveryTimeoutIsRefused() {
        RetryQueue q = new RetryQueue(1_000 * MS);
        OutgoingMessage m = sentAt(1, 0);
        assertThat(q.schedule(m, 1_000 * MS)).isTrue();
        q.pollDue(1_000 * MS);
        assertThat(q.schedule(m, 1_001 * MS)).isFalse();
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void gatePausesOncePerOutageAndGrowsWithConsecutiveFailures() {
        SendGate gate = new SendGate(DispatcherHarness.MAX_JITTER, 0);
        assertThat(gate.isOpen(0)).isTrue();
        // Eight requests sent at t=0 fail at t=10 ms: one escalation, a 100 ms pause.
        long resume = 0;
        for (int i = 0; i < 8; i++) {
            resume = gate.onRetryableFailure(0, 10 * MS);
        }
        assertThat(resume).isEqualTo(110 * MS);
        assertThat(gate.isOpen(109 * MS)).isFalse();
        assertThat(gate.isOpen(110 * MS)).isTrue();
        // A request sent after the pause fails too: the pause doubles.
        assertThat(gate.onRetryableFailure(111 * MS, 120 * MS)).isEqualTo(320 * MS);
        // A response resets the count: the next outage starts at the base again.
        gate.onResponse();
        assertThat(gate.onRetryableFailure(400 * MS, 410 * MS)).isEqualTo(510 * MS);
    }

    @Test
    void entryRetriesBackOffByAttemptWithoutPausingTheGate() {
        SendGate gate = new SendGate(DispatcherHarness.MAX_JITTER, 0);
        assertThat(gate.entryRetryAt(1, 0)).isEqualTo(100 * MS);
        assertThat(gate.entryRetryAt(3, 0)).isEqualTo(400 * MS);
        assertThat(gate.isOpen(0)).isTrue();
    }
}
