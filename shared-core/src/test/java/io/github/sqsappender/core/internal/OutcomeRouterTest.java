package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeRouterTest {

    private static Batch batchOf(int n) {
        List<OutgoingMessage> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(OutgoingMessage.single(IntakeEvent.of("m" + i, 0), i));
        }
        return Batch.of(messages, 0);
    }

    @Test
    void entriesWithoutFailureAreDeliveredSenderFaultIsRejectedTheRestRetried() {
        Batch batch = batchOf(4);
        OutcomeRouter.Routing r = OutcomeRouter.route(batch, new SqsSender.BatchResult(List.of(
                new SqsSender.EntryFailure("1", false, "InternalError", "try again"),
                new SqsSender.EntryFailure("3", true, "InvalidMessageContents", "bad"),
                new SqsSender.EntryFailure("99", true, "Unknown", "not ours"))));

        assertThat(r.delivered()).containsExactly(batch.messages().get(0), batch.messages().get(2));
        assertThat(r.retry()).containsExactly(batch.messages().get(1));
        assertThat(r.rejected()).extracting(OutcomeRouter.Rejection::message).containsExactly(batch.messages().get(3));
        assertThat(r.rejected().get(0).code()).isEqualTo("InvalidMessageContents");
        assertThat(r.rejected().get(0).reason()).contains("SenderFault=true").contains("bad");
        assertThat(r.requestFailure()).isNull();
    }

    @Test
    void retryableRequestFailureRetriesEveryMessage() {
        Batch batch = batchOf(3);
        SendFailure throttled = SendFailure.throttled("ThrottlingException", "slow down");
        OutcomeRouter.Routing r = OutcomeRouter.route(batch, throttled);
        assertThat(r.retry()).isEqualTo(batch.messages());
        assertThat(r.delivered()).isEmpty();
        assertThat(r.rejected()).isEmpty();
        assertThat(r.requestFailure()).isSameAs(throttled);
    }

    @Test
    void permanentRequestFailureRejectsEveryMessageWithItsCode() {
        Batch batch = batchOf(2);
        OutcomeRouter.Routing r = OutcomeRouter.route(batch, SendFailure.permanent("AccessDenied", "no"));
        assertThat(r.rejected()).hasSize(2).allSatisfy(x -> {
            assertThat(x.code()).isEqualTo("AccessDenied");
            assertThat(x.reason()).contains("failed permanently");
        });
        assertThat(r.retry()).isEmpty();
    }

    @Test
    void batchAssignsPositionalEntryIds() {
        Batch batch = batchOf(10);
        assertThat(batch.entries()).extracting(SqsSender.BatchEntry::id)
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(batch.message("7")).isSameAs(batch.messages().get(7));
        assertThat(batch.message("10")).isNull();
        assertThat(batch.message("x")).isNull();
        assertThat(batch.payloadBytes()).isEqualTo(20);
    }
}
