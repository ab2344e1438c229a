package io.github.sqsappender.core;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class FlushOutcomesTest {

    private final MetricsRecorder metrics = new MetricsRecorder();
    private final FlushOutcomes outcomes = new FlushOutcomes(metrics);

    @Test
    void aDropIsReportedByTheNextAnswerOnlyAndUndeliveredIsAlwaysFalse() {
        assertThat(outcomes.answer(true)).isTrue();
        metrics.dropped(DropReason.OVERFLOW);
        assertThat(outcomes.answer(true)).as("dropped since the previous answer").isFalse();
        assertThat(outcomes.answer(true)).as("nothing dropped since").isTrue();
        assertThat(outcomes.answer(false)).isFalse();
    }

    @Test
    void anAwaitedRequestIsCompletedWithFalseSoTheDispatcherMayForgetIt() {
        CompletableFuture<Boolean> request = new CompletableFuture<>();
        assertThat(FlushOutcomes.await(request, 1)).isFalse();
        assertThat(request.getNow(null)).isFalse();
        assertThat(FlushOutcomes.await(CompletableFuture.completedFuture(true), 1)).isTrue();
    }
}
