package io.github.sqsappender.core;

import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SqsSender;
import io.github.sqsappender.core.streams.StreamCapture;

/**
 * Assembles a pipeline. Only the configuration and the status port are required; everything
 * else defaults to what production uses. Not thread-safe; build once.
 */
public final class SqsPipelineBuilder {

    final SqsAppenderConfig config;
    final StatusPort status;
    SqsSender sender;
    S3Store s3;
    Ticker ticker = Ticker.system();
    Backoff backoff = Backoff.standard();
    ShutdownHooks shutdownHooks = ShutdownHooks.jvm();
    WallClock wallClock = WallClock.system();

    SqsPipelineBuilder(SqsAppenderConfig config, StatusPort status) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.status = uncaptured(java.util.Objects.requireNonNull(status, "status"));
    }

    /** Our reports may reach a captured console through a framework's status printer: never capture them (a loop). */
    private static StatusPort uncaptured(StatusPort status) {
        return new StatusPort() {
            @Override
            public void info(String message) {
                StreamCapture.uncaptured(() -> {
                    status.info(message);
                    return null;
                });
            }

            @Override
            public void warn(String message, Throwable cause) {
                StreamCapture.uncaptured(() -> {
                    status.warn(message, cause);
                    return null;
                });
            }

            @Override
            public void error(String message, Throwable cause) {
                StreamCapture.uncaptured(() -> {
                    status.error(message, cause);
                    return null;
                });
            }
        };
    }

    /** The sender to deliver batches with; default: the AWS SDK, built from the configuration. */
    public SqsPipelineBuilder sender(SqsSender sender) {
        this.sender = sender;
        return this;
    }

    /**
     * Where offloaded bodies and fallback objects are written ({@code largeMessagePolicy=s3},
     * {@code fallback=s3}); default: the AWS SDK's S3 client, built from the configuration and
     * sharing the SQS client's credentials. Unused when the configuration does not use S3.
     */
    public SqsPipelineBuilder s3(S3Store s3) {
        this.s3 = s3;
        return this;
    }

    /** The monotonic clock; default {@link Ticker#system()}. */
    public SqsPipelineBuilder ticker(Ticker ticker) {
        this.ticker = ticker;
        return this;
    }

    /** The calendar clock for error timestamps; default {@link WallClock#system()}. */
    public SqsPipelineBuilder wallClock(WallClock wallClock) {
        this.wallClock = wallClock;
        return this;
    }

    /** The retry backoff for failed requests, entries and queue lookups; default {@link Backoff#standard()}. */
    public SqsPipelineBuilder backoff(Backoff backoff) {
        this.backoff = backoff;
        return this;
    }

    /** Where {@link SqsPipeline#stopAtJvmExit()} registers its hook; default {@link ShutdownHooks#jvm()}. */
    public SqsPipelineBuilder shutdownHooks(ShutdownHooks shutdownHooks) {
        this.shutdownHooks = shutdownHooks;
        return this;
    }

    /**
     * Builds the pipeline. Does no I/O.
     *
     * @throws IllegalStateException naming the attribute when a configured feature cannot work
     *                               in this runtime (e.g. {@code roleArn} without the sts module,
     *                               {@code fallback=s3} without the s3 module)
     */
    public SqsPipeline build() {
        return new SqsPipeline(this);
    }
}
