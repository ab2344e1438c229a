package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.assertj.core.api.Assertions.assertThat;

class BatchAssemblerTest {

    private static final long MS = 1_000_000L;

    private final Ledger ledger = new Ledger(new BufferBudget(1_000, 100_000_000), new MetricsRecorder());
    private final Deque<OutgoingMessage> fresh = new ArrayDeque<>();
    private final RetryQueue retries = new RetryQueue(60_000 * MS);

    private OutgoingMessage add(String body, long loggedAt) {
        IntakeEvent event = IntakeEvent.of(body, loggedAt);
        OutgoingMessage m = OutgoingMessage.single(event, ledger.admit(event));
        fresh.add(m);
        return m;
    }

    @Test
    void aMessageThatWouldPassOneMebibyteIsCarriedIntoTheNextBatch() {
        BatchAssembler b = new BatchAssembler(10, 200 * MS, false);
        OutgoingMessage big1 = add("x".repeat(600_000), 0);
        OutgoingMessage big2 = add("y".repeat(600_000), 0);
        b.fill(0, retries, fresh::poll, ledger);
        assertThat(b.isDue(0, false)).as("sealed by size").isTrue();
        assertThat(b.seal(0).messages()).containsExactly(big1);
        b.fill(0, retries, fresh::poll, ledger);
        assertThat(b.seal(0).messages()).containsExactly(big2);
    }

    @Test
    void dueByCountByLingerOrWhenUrgent() {
        BatchAssembler b = new BatchAssembler(3, 200 * MS, false);
        add("a", 0);
        b.fill(0, retries, fresh::poll, ledger);
        assertThat(b.isDue(199 * MS, false)).isFalse();
        assertThat(b.isDue(0, true)).isTrue();
        assertThat(b.isDue(200 * MS, false)).isTrue();
        assertThat(b.lingerDeadline()).isEqualTo(200 * MS);
        add("b", 0);
        add("c", 0);
        b.fill(0, retries, fresh::poll, ledger);
        assertThat(b.isDue(0, false)).isTrue();
        assertThat(b.room()).isZero();
    }

    @Test
    void dueRetriesGoFirstAndMakeTheBatchDueAtOnce() {
        BatchAssembler b = new BatchAssembler(10, 200 * MS, false);
        OutgoingMessage retried = add("retried", 0);
        fresh.clear();
        ledger.move(retried, Holding.ASSEMBLING, Holding.AWAITING_RETRY);
        retried.markSent(0);
        retries.schedule(retried, 50 * MS);
        OutgoingMessage newer = add("newer", 40 * MS);

        b.fill(50 * MS, retries, fresh::poll, ledger);

        assertThat(b.isDue(50 * MS, false)).isTrue();
        assertThat(b.seal(50 * MS).messages()).containsExactly(retried, newer);
        assertThat(ledger.heldEvents(Holding.AWAITING_RETRY)).isZero();
    }

    @Test
    void onFifoNothingNewIsTakenWhileARetryWaits() {
        BatchAssembler b = new BatchAssembler(10, 200 * MS, true);
        OutgoingMessage retried = add("first", 0);
        fresh.clear();
        ledger.move(retried, Holding.ASSEMBLING, Holding.AWAITING_RETRY);
        retried.markSent(0);
        retries.schedule(retried, 100 * MS);
        add("second", 10 * MS);

        b.fill(50 * MS, retries, fresh::poll, ledger);
        assertThat(b.isEmpty()).isTrue();

        b.fill(100 * MS, retries, fresh::poll, ledger);
        assertThat(b.seal(100 * MS).messages()).extracting(m -> m.wire().body())
                .as("one group: never two of its messages in one batch").containsExactly("first");
        b.fill(100 * MS, retries, fresh::poll, ledger);
        assertThat(b.seal(100 * MS).messages()).extracting(m -> m.wire().body()).containsExactly("second");
    }

    @Test
    void onFifoABatchNeverHoldsTwoMessagesOfOneGroupAndOtherGroupsStillFillIt() {
        BatchAssembler b = new BatchAssembler(10, 200 * MS, true);
        for (String[] e : new String[][] {{"a", "a0"}, {"b", "b0"}, {"a", "a1"}, {"a", "a2"}, {"c", "c0"}, {"b", "b1"}}) {
            IntakeEvent wire = new IntakeEvent(e[1], e[1].length(), java.util.List.of(), e[0], false, false, 0);
            fresh.add(OutgoingMessage.single(wire, ledger.admit(wire)));
        }
        b.fill(0, retries, fresh::poll, ledger);
        assertThat(b.seal(0).messages()).extracting(m -> m.wire().body())
                .as("a1 and a2 wait behind a0, b1 behind b0; c0 is free").containsExactly("a0", "b0", "c0");
        b.fill(0, retries, fresh::poll, ledger);
        assertThat(b.seal(0).messages()).extracting(m -> m.wire().body()).containsExactly("a1", "b1");
        b.fill(0, retries, fresh::poll, ledger);
        assertThat(b.seal(0).messages()).extracting(m -> m.wire().body()).containsExactly("a2");
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void onFifoAtMostMaxDeferredWaitBehindTheOpenBatchThenItIsSealed() {
        BatchAssembler b = new BatchAssembler(10, 200 * MS, true);
        for (int i = 0; i <= BatchAssembler.MAX_DEFERRED + 1; i++) {
            String body = "a" + i;
            IntakeEvent wire = new IntakeEvent(body, body.length(), java.util.List.of(), "a", false, false, 0);
            fresh.add(OutgoingMessage.single(wire, ledger.admit(wire)));
        }
        b.fill(0, retries, fresh::poll, ledger);
        assertThat(b.isDue(0, false)).as("sealed once the deferred are at their bound").isTrue();
        assertThat(fresh).as("the next one stays carried").hasSize(0);
        for (int i = 0; i <= BatchAssembler.MAX_DEFERRED + 1; i++) {
            b.fill(0, retries, fresh::poll, ledger);
            assertThat(b.seal(0).messages()).extracting(m -> m.wire().body()).containsExactly("a" + i);
        }
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void onAStandardQueueOneGroupFillsWholeBatches() {
        BatchAssembler b = new BatchAssembler(10, 200 * MS, false);
        for (int i = 0; i < 10; i++) {
            add("e" + i, 0);
        }
        b.fill(0, retries, fresh::poll, ledger);
        assertThat(b.seal(0).messages()).hasSize(10);
    }
}
