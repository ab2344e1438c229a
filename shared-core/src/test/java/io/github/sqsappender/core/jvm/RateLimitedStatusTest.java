package io.github.sqsappender.core.jvm;

import io.github.sqsappender.core.testing.ManualTicker;
import io.github.sqsappender.core.testing.RecordingStatus;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedStatusTest {

    @Test
    void aDeadEndpointProducesOneReportPerIntervalAndCountsTheRest() {
        ManualTicker ticker = new ManualTicker();
        RecordingStatus status = new RecordingStatus();
        RateLimitedStatus limited = new RateLimitedStatus(status, ticker, TimeUnit.SECONDS.toNanos(10));
        for (int i = 0; i < 1_000; i++) {
            limited.warn("request:ConnectException", "connection refused", null);
            ticker.advanceMillis(5);
        }
        // 5 s of failures: one report
        assertThat(status.warnings).containsExactly("connection refused");
        ticker.advanceMillis(5_000);
        limited.warn("request:ConnectException", "connection refused", null);
        assertThat(status.warnings).hasSize(2).last().asString()
                .isEqualTo("connection refused (999 similar reports suppressed)");
    }

    @Test
    void differentKeysAreLimitedSeparately() {
        ManualTicker ticker = new ManualTicker();
        RecordingStatus status = new RecordingStatus();
        RateLimitedStatus limited = new RateLimitedStatus(status, ticker, TimeUnit.SECONDS.toNanos(10));
        limited.error("undeliverable:AccessDenied", "denied", null);
        limited.error("undeliverable:InvalidParameterValue", "invalid", null);
        limited.error("undeliverable:AccessDenied", "denied", null);
        assertThat(status.errors).containsExactly("denied", "invalid");
    }
}
