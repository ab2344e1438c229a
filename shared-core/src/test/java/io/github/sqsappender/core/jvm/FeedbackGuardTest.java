package io.github.sqsappender.core.jvm;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class FeedbackGuardTest {

    @Test
    void theSdkNettyAndHttpClientLoggersAreExcludedAlsoAsRelocatedInTheOneJar() {
        assertThat(FeedbackGuard.isExcluded("software.amazon.awssdk.request")).isTrue();
        assertThat(FeedbackGuard.isExcluded("io.netty.channel.DefaultChannelPipeline")).isTrue();
        assertThat(FeedbackGuard.isExcluded("org.apache.http.wire")).isTrue();
        assertThat(FeedbackGuard.isExcluded("io.github.sqsappender.shaded.software.amazon.awssdk.request")).isTrue();
        assertThat(FeedbackGuard.isExcluded("io.github.sqsappender.shaded.io.netty.util.ResourceLeakDetector")).isTrue();
    }

    @Test
    void theApplicationsLoggersAreShippedExceptOnTheAppendersThreads() throws Exception {
        assertThat(FeedbackGuard.isExcluded("com.example.Checkout")).isFalse();
        assertThat(FeedbackGuard.isExcluded("io.github.sqsappender.samples.Demo")).isFalse();
        assertThat(FeedbackGuard.isExcluded(null)).isFalse();
        AtomicBoolean onAppenderThread = new AtomicBoolean();
        Thread t = new Thread(() -> onAppenderThread.set(FeedbackGuard.isExcluded("com.example.Checkout")),
                FeedbackGuard.THREAD_PREFIX + "orders-io-1");
        t.start();
        t.join();
        assertThat(onAppenderThread).isTrue();
    }
}
