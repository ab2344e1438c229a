package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.jvm.MetricsRecorder;
import io.github.sqsappender.core.jvm.RateLimitedStatus;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.Backoff;
import io.github.sqsappender.core.EventAccessor;
import io.github.sqsappender.core.InvalidConfigurationException;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.testing.InMemorySqsSender;
import io.github.sqsappender.core.testing.ManualTicker;
import io.github.sqsappender.core.testing.RecordingStatus;

import java.util.Map;

/** A dispatcher wired to an in-memory sender and a manual ticker; no threads. */
final class DispatcherHarness {

    final ManualTicker ticker = new ManualTicker();
    /** A fixed calendar clock: error timestamps are deterministic too. */
    final io.github.sqsappender.core.WallClock wallClock = () -> 1_700_000_000_000L;
    final InMemorySqsSender sender;
    final MetricsRecorder metrics = new MetricsRecorder();
    final RecordingStatus status = new RecordingStatus();
    final SqsAppenderConfig config;
    final MessageEncoder encoder;
    final Dispatcher dispatcher;

    /** Jitter that always picks the upper bound, so backoff is deterministic. */
    static final Backoff MAX_JITTER = Backoff.standard().withoutJitter();

    DispatcherHarness(Map<String, String> attributes) {
        this(attributes, new InMemorySqsSender());
    }

    DispatcherHarness(Map<String, String> attributes, InMemorySqsSender sender) {
        this(attributes, sender, null);
    }

    /** With an S3 store, for {@code largeMessagePolicy=s3} and {@code fallback=s3}. */
    DispatcherHarness(Map<String, String> attributes, InMemorySqsSender sender, S3Store s3) {
        this(attributes, sender, s3, Runnable::run);
    }

    /** Packs' jobs run on {@code packThread} (the test runs them when it chooses). */
    DispatcherHarness(Map<String, String> attributes, java.util.concurrent.Executor packThread) {
        this(attributes, new InMemorySqsSender(), null, packThread);
    }

    private DispatcherHarness(Map<String, String> attributes, InMemorySqsSender sender, S3Store s3,
                              java.util.concurrent.Executor packThread) {
        this.sender = sender;
        try {
            SqsAppenderConfig.Builder builder = SqsAppenderConfig.builder("test")
                    .set("queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/test");
            attributes.forEach(builder::set);
            this.config = builder.build();
        } catch (InvalidConfigurationException e) {
            throw new IllegalArgumentException(e);
        }
        this.encoder = new MessageEncoder(config, "host-1", ticker, metrics);
        this.dispatcher = new Dispatcher(config, sender, s3, "host-1", encoder, packThread, metrics,
                new RateLimitedStatus(status, ticker, 10_000_000_000L), MAX_JITTER, ticker, wallClock);
    }

    /** Encodes and offers one INFO event; returns whether it was accepted. */
    boolean log(String body) {
        return log(body, false);
    }

    boolean log(String body, boolean warn) {
        metrics.appended();
        IntakeEvent message = encoder.encode(body, warn ? "WARN" : "INFO", ACCESSOR, dispatcher.intake().arrivalTime());
        if (message == null) {
            return false;
        }
        boolean accepted = dispatcher.intake().offer(message);
        if (!accepted) {
            metrics.dropped(io.github.sqsappender.core.DropReason.OVERFLOW);
        }
        return accepted;
    }

    /** Encodes and offers one INFO event of FIFO message group {@code group}. */
    boolean logInGroup(String group, String body) {
        metrics.appended();
        IntakeEvent message = encoder.encode(body, group, GROUPED, dispatcher.intake().arrivalTime());
        return message != null && dispatcher.intake().offer(message);
    }

    /** Events are their message group's name. */
    static final EventAccessor<String> GROUPED = new EventAccessor<>() {
        @Override public String level(String event) { return "INFO"; }
        @Override public boolean isWarnOrMoreSevere(String event) { return false; }
        @Override public String loggerName(String event) { return "test.Logger"; }
        @Override public String threadName(String event) { return "main"; }
        @Override public long timestampMillis(String event) { return 1_700_000_000_000L; }
        @Override public String mdc(String event, String key) { return null; }
        @Override public String messageGroupId(String event) { return event; }
    };

    void logMany(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            log(prefix + i);
        }
    }

    /** Runs one loop step at the ticker's current time. */
    long step() {
        return dispatcher.runOnce(ticker.read());
    }

    /** The event type in these tests is just its level name. */
    static final EventAccessor<String> ACCESSOR = new EventAccessor<>() {
        @Override public String level(String event) { return event; }
        @Override public boolean isWarnOrMoreSevere(String event) { return !event.equals("INFO"); }
        @Override public String loggerName(String event) { return "test.Logger"; }
        @Override public String threadName(String event) { return "main"; }
        @Override public long timestampMillis(String event) { return 1_700_000_000_000L; }
        @Override public String mdc(String event, String key) { return key.equals("requestId") ? "r-42" : null; }
    };
}
