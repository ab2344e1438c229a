package io.github.sqsappender.core;

import io.github.sqsappender.core.internal.S3Store;
import io.github.sqsappender.core.internal.SqsSender;

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
        this.status = java.util.Objects.requireNonNull(status, "status");
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
