package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.DropReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerTest {

    private final BufferBudget budget = new BufferBudget(100, 1_000_000);
    private final MetricsRecorder metrics = new MetricsRecorder();
    private final Ledger ledger = new Ledger(budget, metrics);

    private OutgoingMessage admitOne(String body) {
        IntakeEvent event = IntakeEvent.of(body, 0);
        assertThat(budget.tryAcquire(event.budgetBytes(), false)).isTrue();
        return OutgoingMessage.single(event, ledger.admit(event));
    }

    /** Three admitted events carried by one message, as a packed message will. */
    private OutgoingMessage admitThreeInOneMessage() {
        long[] sequences = new long[3];
        long bytes = 0;
        for (int i = 0; i < 3; i++) {
            IntakeEvent event = IntakeEvent.of("p" + i, 0);
            budget.tryAcquire(event.budgetBytes(), false);
            sequences[i] = ledger.admit(event);
            bytes += event.budgetBytes();
        }
        return new OutgoingMessage(WireMessage.of("p0\np1\np2"), sequences, bytes, 0);
    }

    @Test
    void tracksEventsAndBytesPerStateAndReleasesOnlyWhenSettled() {
        OutgoingMessage a = admitOne("aaaa");
        OutgoingMessage b = admitOne("bb");
        assertThat(ledger.heldEvents(Holding.ASSEMBLING)).isEqualTo(2);
        assertThat(ledger.heldBytes(Holding.ASSEMBLING)).as("text plus the heap overhead, each").isEqualTo(6 + 2 * IntakeEvent.HEAP_OVERHEAD_BYTES);

        ledger.move(a, Holding.ASSEMBLING, Holding.IN_FLIGHT);
        ledger.move(b, Holding.ASSEMBLING, Holding.IN_FLIGHT);
        ledger.move(b, Holding.IN_FLIGHT, Holding.AWAITING_RETRY);
        assertThat(ledger.heldEvents(Holding.IN_FLIGHT)).isEqualTo(1);
        assertThat(ledger.heldEvents(Holding.AWAITING_RETRY)).isEqualTo(1);

        ledger.delivered(a, Holding.IN_FLIGHT);
        assertThat(budget.events()).as("released in bulk, not yet").isEqualTo(2);
        ledger.releaseSettled();
        assertThat(budget.events()).isEqualTo(1);
        assertThat(budget.bytes()).isEqualTo(2 + IntakeEvent.HEAP_OVERHEAD_BYTES);
        assertThat(ledger.takeFreed()).isEqualTo(1);
        assertThat(ledger.takeFreed()).isZero();

        ledger.dropped(b, Holding.AWAITING_RETRY, DropReason.UNDELIVERABLE);
        ledger.releaseSettled();
        assertThat(ledger.heldEvents()).isZero();
        assertThat(budget.events()).isZero();
        assertThat(metrics.getEventsSent()).isEqualTo(1);
        assertThat(metrics.getEventsDroppedUndeliverable()).isEqualTo(1);
    }

    @Test
    void aMessageCarryingThreeEventsSettlesThreeEvents() {
        OutgoingMessage pack = admitThreeInOneMessage();
        ledger.move(pack, Holding.ASSEMBLING, Holding.IN_FLIGHT);
        assertThat(ledger.heldEvents(Holding.IN_FLIGHT)).isEqualTo(3);

        ledger.delivered(pack, Holding.IN_FLIGHT);
        ledger.releaseSettled();

        assertThat(metrics.getEventsSent()).isEqualTo(3);
        assertThat(ledger.heldEvents()).isZero();
        assertThat(budget.events()).isZero();
        assertThat(budget.bytes()).isZero();
    }

    @Test
    void flushCompletesWhenEveryEventHeldAtItsMarkerHasLeft() {
        OutgoingMessage a = admitOne("a");
        OutgoingMessage pack = admitThreeInOneMessage();
        FlushMarker flush = new FlushMarker();
        ledger.registerFlush(flush);
        OutgoingMessage later = admitOne("later"); // after the marker: not covered

        ledger.delivered(a, Holding.ASSEMBLING);
        assertThat(flush.isDone()).isFalse();
        ledger.delivered(pack, Holding.ASSEMBLING);
        assertThat(flush.future()).isCompletedWithValue(true);
        assertThat(ledger.heldEvents()).isEqualTo(1);
        ledger.delivered(later, Holding.ASSEMBLING);
    }

    @Test
    void flushReportsFalseWhenAnyCoveredEventIsLost() {
        OutgoingMessage a = admitOne("a");
        IntakeEvent tooBig = IntakeEvent.of("x".repeat(10), 0);
        budget.tryAcquire(tooBig.budgetBytes(), false);
        long sequence = ledger.admit(tooBig);
        FlushMarker flush = new FlushMarker();
        ledger.registerFlush(flush);

        ledger.droppedOnAssembly(tooBig, sequence, DropReason.OVERSIZE);
        assertThat(flush.isDone()).isFalse();
        ledger.delivered(a, Holding.ASSEMBLING);

        assertThat(flush.future()).isCompletedWithValue(false);
        assertThat(metrics.getEventsDroppedOversize()).isEqualTo(1);
    }

    @Test
    void flushWithNothingHeldCompletesAtOnce() {
        FlushMarker flush = new FlushMarker();
        ledger.registerFlush(flush);
        assertThat(flush.future()).isCompletedWithValue(true);
    }

    @Test
    void abandonAllDropsEverythingHeldInEveryStateAndFailsFlushes() {
        OutgoingMessage a = admitOne("a");
        OutgoingMessage b = admitOne("b");
        OutgoingMessage pack = admitThreeInOneMessage();
        ledger.move(a, Holding.ASSEMBLING, Holding.IN_FLIGHT);
        ledger.move(b, Holding.ASSEMBLING, Holding.AWAITING_RETRY);
        FlushMarker flush = new FlushMarker();
        ledger.registerFlush(flush);

        assertThat(ledger.abandonAll(DropReason.SHUTDOWN)).isEqualTo(5);

        assertThat(metrics.getEventsDroppedShutdown()).isEqualTo(5);
        assertThat(ledger.heldEvents()).isZero();
        assertThat(budget.events()).isZero();
        assertThat(budget.bytes()).isZero();
        assertThat(flush.future()).isCompletedWithValue(false);
    }
}
