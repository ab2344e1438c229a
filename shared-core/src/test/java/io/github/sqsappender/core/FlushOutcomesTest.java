package io.github.sqsappender.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FlushOutcomesTest {

    private final AtomicLong dropped = new AtomicLong();

    @Test
    void aDropIsReportedByTheNextAnswerOnlyAndUndeliveredIsAlwaysFalse() {
        FlushOutcomes outcomes = new FlushOutcomes(dropped::get);
        assertThat(outcomes.answer(true)).isTrue();
        dropped.incrementAndGet();
        assertThat(outcomes.answer(true)).as("dropped since the previous answer").isFalse();
        assertThat(outcomes.answer(true)).as("nothing dropped since").isTrue();
        assertThat(outcomes.answer(false)).isFalse();
    }

    /**
     * Two flushes answer at once: the first reads the count, a drop happens, the second reads the
     * new count and reports the drop, then the first finishes with its older count. The drop is
     * reported once; the next answer does not report it again.
     */
    @Test
    void anAnswerThatReadTheCountBeforeAnotherDoesNotMakeTheNextAnswerReportTheSameDropAgain() {
        FlushOutcomes[] outcomes = new FlushOutcomes[1];
        boolean[] secondAnswer = new boolean[1];
        boolean[] interleaved = {false};
        outcomes[0] = new FlushOutcomes(() -> {
            long read = dropped.get();
            if (!interleaved[0]) { // the first answer, between its read and its update
                interleaved[0] = true;
                dropped.incrementAndGet();
                secondAnswer[0] = outcomes[0].answer(true);
            }
            return read;
        });

        boolean firstAnswer = outcomes[0].answer(true);

        assertThat(firstAnswer).as("read before the drop").isTrue();
        assertThat(secondAnswer[0]).as("read after the drop").isFalse();
        assertThat(outcomes[0].answer(true)).as("the drop was reported already").isTrue();
    }

    @Test
    void anAwaitedRequestIsCompletedWithFalseSoTheDispatcherMayForgetIt() {
        CompletableFuture<Boolean> request = new CompletableFuture<>();
        assertThat(FlushOutcomes.await(request, 1)).isFalse();
        assertThat(request.getNow(null)).isFalse();
        assertThat(FlushOutcomes.await(CompletableFuture.completedFuture(true), 1)).isTrue();
    }
}
