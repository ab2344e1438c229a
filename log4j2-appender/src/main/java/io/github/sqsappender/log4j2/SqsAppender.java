package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.EventFormatter;
import io.github.sqsappender.core.InvalidConfigurationException;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.SqsPipeline;
import io.github.sqsappender.core.streams.StandardStream;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code <Sqs>} appender: formats each event with its layout on the caller's thread and hands
 * it to the shared-core pipeline, which batches it into SendMessageBatch requests off-thread.
 *
 * <pre>{@code
 * <Sqs name="SQS" queueUrl="https://sqs.us-east-1.amazonaws.com/123456789012/app-logs">
 *   <JsonTemplateLayout eventTemplateUri="classpath:EcsLayout.json"/>
 * </Sqs>
 * }</pre>
 *
 * {@link #append} never blocks on the network and never throws (unless
 * {@code overflowPolicy=block}, when it waits at most {@code blockTimeoutMs}).
 *
 * <p>Unlike the Logback appender, this one needs no {@code AppendGate} to wait at stop for appends
 * still in progress: Log4j2's own reliability strategy (the default {@code AwaitCompletion}, and
 * {@code AwaitUnconditionally}) lets a stopping configuration wait for the logging calls already
 * inside its loggers before it stops their appenders, so no append reaches a stopped pipeline
 * that Log4j2 did not already let through.
 */
@Plugin(name = "Sqs", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class SqsAppender extends AbstractAppender {

    /** Used when no layout is configured: the message and a line break. */
    public static final String DEFAULT_PATTERN = SqsAppenderConfig.DEFAULT_PATTERN;

    private final SqsManager manager;
    private final SqsPipeline pipeline;
    private final LogEventAccessor accessor;
    private final EventFormatter<LogEvent> formatter = this::format;

    private final io.github.sqsappender.core.streams.AppenderCapture capture;
    /** Registered with the pipeline while started: its exit hook stops the pipeline, not this appender. */
    private final Runnable flushCapture;
    /** The configuration that built this appender (null when built outside one). */
    private final org.apache.logging.log4j.core.config.Configuration configuration;
    /** The standard streams this appender captures ({@code captureStreams}). */
    private final java.util.Set<StandardStream> captureStreams;

    private SqsAppender(String name, Filter filter, Layout<? extends Serializable> layout, boolean ignoreExceptions,
                        Property[] properties, SqsManager manager, LogEventAccessor accessor,
                        java.util.Set<StandardStream> captureStreams,
                        org.apache.logging.log4j.core.config.Configuration configuration) {
        super(name, filter, layout, ignoreExceptions, properties);
        this.configuration = configuration;
        this.captureStreams = captureStreams;
        this.manager = manager;
        this.pipeline = manager.pipeline();
        this.accessor = accessor;
        this.capture = ConsoleCapture.create(name, configuration == null ? null : configuration.getLoggerContext(),
                captureStreams, this::appendLine, pipeline::capturedLinesLost);
        this.flushCapture = capture::flushPartialLines;
    }

    /**
     * Starts the appender and, with {@code captureStreams}, takes over {@code System.out} /
     * {@code System.err} (from this appender's predecessor of the same name in a reconfiguration).
     * A stream another appender captures is reported as a configuration error naming
     * {@code captureStreams}; the appender still ships its events.
     */
    @Override
    public void start() {
        super.start();
        capture.start(problem -> LOGGER.error("Sqs appender '{}': {}", getName(), problem), this::isReplacedByOurConfiguration);
        pipeline.beforeStop(flushCapture); // the JVM exit hook stops the pipeline, not this appender
    }

    /**
     * True when the appender named {@code name} is one this appender's configuration replaces: it
     * is in the context's current configuration, while ours is a new one about to become current
     * (Log4j2 starts it before it stops the old one), and ours has no appender of that name, or one
     * that captures none of the streams this one asks for. A reconfiguration that renamed the SQS
     * appender, or moved {@code captureStreams} to another one, hands the capture over, as one that
     * kept it in place does.
     */
    private boolean isReplacedByOurConfiguration(String name) {
        try {
            org.apache.logging.log4j.core.LoggerContext context = configuration == null ? null : configuration.getLoggerContext();
            org.apache.logging.log4j.core.config.Configuration current = context == null ? null : context.getConfiguration();
            if (current == null || current == configuration || !current.getAppenders().containsKey(name)) {
                return false;
            }
            Appender successor = configuration.getAppenders().get(name);
            return !(successor instanceof SqsAppender sqs)
                    || java.util.Collections.disjoint(sqs.captureStreams, captureStreams);
        } catch (RuntimeException | LinkageError e) {
            return false; // then the usual error naming captureStreams
        }
    }

    /**
     * A captured line as an event of this appender only: logger {@code stdout}/{@code stderr},
     * through the appender's own filter and layout.
     */
    private void appendLine(StandardStream stream, String line, String threadName, long epochMillis) {
        LogEvent event = org.apache.logging.log4j.core.impl.Log4jLogEvent.newBuilder()
                .setLoggerName(stream.loggerName())
                .setLoggerFqcn(SqsAppender.class.getName())
                .setLevel(org.apache.logging.log4j.Level.getLevel(stream.level()))
                .setMessage(new org.apache.logging.log4j.message.SimpleMessage(line))
                .setThreadName(threadName)
                .setTimeMillis(epochMillis)
                .build();
        if (isFiltered(event)) {
            return; // the appender's own filter applies to what it captures, as to what it is given
        }
        pipeline.appendCaptured(event, formatter, accessor);
    }

    @PluginBuilderFactory
    public static <B extends Builder<B>> B newBuilder() {
        return new Builder<B>().asBuilder();
    }

    /**
     * Formats and buffers one event. Any thread; never throws, never does I/O. Events from the
     * AWS SDK, Netty, the HTTP clients and the appender's own threads are skipped (they would
     * feed back into the appender); they still reach other appenders.
     */
    @Override
    public void append(LogEvent event) {
        pipeline.append(event, formatter, accessor);
    }

    private String format(LogEvent event) {
        return LayoutText.of(getLayout(), event);
    }

    /**
     * Sends everything appended so far and waits up to {@code timeoutMillis} for it to be
     * delivered — for short-lived runtimes such as AWS Lambda. Any thread.
     *
     * @return true if everything appended before the call was delivered
     */
    public boolean flush(long timeoutMillis) {
        capture.flushPartialLines();
        return pipeline.flush(timeoutMillis);
    }

    /**
     * Flushes every {@code <Sqs>} appender of the current Log4j2 configuration, waiting at most
     * {@code timeoutMillis} in all: what a Lambda handler calls before it returns (the runtime
     * freezes the process, and the appender's thread with it, once the handler has returned).
     * Asynchronous stages in front of them are waited for first: {@code <Async>} appenders'
     * queues and asynchronous loggers' ring buffers ({@code AsyncLogger}, {@code AsyncRoot}, the
     * all-asynchronous context selector). Any thread.
     *
     * @return true if every such appender delivered everything logged before the call (also
     *         when there is none)
     */
    public static boolean flushAll(long timeoutMillis) {
        org.apache.logging.log4j.spi.LoggerContext context = org.apache.logging.log4j.LogManager.getContext(false);
        return !(context instanceof org.apache.logging.log4j.core.LoggerContext core) || flushAll(core, timeoutMillis);
    }

    /** {@link #flushAll(long)} for the given context. */
    static boolean flushAll(org.apache.logging.log4j.core.LoggerContext core, long timeoutMillis) {
        java.util.List<SqsAppender> appenders = new java.util.ArrayList<>();
        for (org.apache.logging.log4j.core.Appender appender : core.getConfiguration().getAppenders().values()) {
            if (appender instanceof SqsAppender sqs) {
                appenders.add(sqs);
            }
        }
        return io.github.sqsappender.core.FlushAll.within(
                appenders.stream().<io.github.sqsappender.core.FlushAll.Flushable>map(a -> a::flush).toList(),
                appenders.isEmpty() ? java.util.List.of() : AsyncStages.of(core),
                () -> appenders.stream().mapToLong(a -> a.getMetrics().getEventsAppended()).sum(),
                timeoutMillis, io.github.sqsappender.core.Ticker.system());
    }

    /** Live metrics of this appender (also on JMX unless {@code jmx=false}). */
    public SqsAppenderMetrics getMetrics() {
        return pipeline.metrics();
    }

    /**
     * Stops the appender; when the last user of its manager stops, buffered events are delivered
     * within the timeout (0, as {@code LoggerContext.stop()} passes, means {@code shutdownTimeoutMs}).
     */
    @Override
    public boolean stop(long timeout, TimeUnit timeUnit) {
        setStopping();
        capture.stop(); // partial lines first, while the pipeline still takes them
        pipeline.removeBeforeStop(flushCapture); // a reconfiguration's successor shares the pipeline: no hook per reload
        boolean stopped = super.stop(timeout, timeUnit, false);
        stopped &= manager.stop(timeout, timeUnit);
        setStopped();
        return stopped;
    }

    /**
     * Builds an {@link SqsAppender}. Every attribute ({@link io.github.sqsappender.core.ConfigAttribute})
     * is taken as text and validated by the core in one place; on any problem each one is reported to the StatusLogger, naming the
     * attribute and value, and {@link #build()} returns null so the application still starts.
     */
    public static class Builder<B extends Builder<B>> extends AbstractAppender.Builder<B>
            implements org.apache.logging.log4j.core.util.Builder<SqsAppender> {

        @PluginBuilderAttribute private String queueUrl;
        @PluginBuilderAttribute private String queueName;
        @PluginBuilderAttribute private String queueOwnerAccountId;
        @PluginBuilderAttribute private String region;
        @PluginBuilderAttribute private String endpoint;
        @PluginBuilderAttribute private String profile;
        @PluginBuilderAttribute private String roleArn;
        @PluginBuilderAttribute private String roleSessionName;
        @PluginBuilderAttribute(sensitive = true) private String externalId;
        @PluginBuilderAttribute private String clientFactory;
        @PluginBuilderAttribute private String httpClient;
        @PluginBuilderAttribute private String maxBatchSize;
        @PluginBuilderAttribute private String lingerMs;
        @PluginBuilderAttribute private String maxMessageBytes;
        @PluginBuilderAttribute private String bufferCapacity;
        @PluginBuilderAttribute private String maxBufferBytes;
        @PluginBuilderAttribute private String overflowPolicy;
        @PluginBuilderAttribute private String blockTimeoutMs;
        @PluginBuilderAttribute private String maxInFlight;
        @PluginBuilderAttribute private String deliveryTimeoutMs;
        @PluginBuilderAttribute private String shutdownTimeoutMs;
        @PluginBuilderAttribute private String messageAttributes;
        @PluginBuilderAttribute private String packing;
        @PluginBuilderAttribute private String compression;
        @PluginBuilderAttribute private String maxPackBytes;
        @PluginBuilderAttribute private String largeMessagePolicy;
        @PluginBuilderAttribute private String s3Bucket;
        @PluginBuilderAttribute private String s3KeyPrefix;
        @PluginBuilderAttribute private String s3Endpoint;
        @PluginBuilderAttribute private String fallback;
        @PluginBuilderAttribute private String messageGroupId;
        @PluginBuilderAttribute private String deduplication;
        @PluginBuilderAttribute private String jmx;
        @PluginBuilderAttribute private String captureStreams;

        /** Sets {@code queueUrl}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setQueueUrl(String queueUrl) {
            this.queueUrl = queueUrl;
            return asBuilder();
        }

        /** Sets {@code queueName}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setQueueName(String queueName) {
            this.queueName = queueName;
            return asBuilder();
        }

        /** Sets {@code queueOwnerAccountId}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setQueueOwnerAccountId(String queueOwnerAccountId) {
            this.queueOwnerAccountId = queueOwnerAccountId;
            return asBuilder();
        }

        /** Sets {@code region}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setRegion(String region) {
            this.region = region;
            return asBuilder();
        }

        /** Sets {@code endpoint}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setEndpoint(String endpoint) {
            this.endpoint = endpoint;
            return asBuilder();
        }

        /** Sets {@code profile}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setProfile(String profile) {
            this.profile = profile;
            return asBuilder();
        }

        /** Sets {@code roleArn}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setRoleArn(String roleArn) {
            this.roleArn = roleArn;
            return asBuilder();
        }

        /** Sets {@code roleSessionName}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setRoleSessionName(String roleSessionName) {
            this.roleSessionName = roleSessionName;
            return asBuilder();
        }

        /** Sets {@code externalId}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setExternalId(String externalId) {
            this.externalId = externalId;
            return asBuilder();
        }

        /** Sets {@code httpClient}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setHttpClient(String httpClient) {
            this.httpClient = httpClient;
            return asBuilder();
        }

        /** Sets {@code clientFactory}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setClientFactory(String clientFactory) {
            this.clientFactory = clientFactory;
            return asBuilder();
        }

        /** Sets {@code maxBatchSize}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setMaxBatchSize(String maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return asBuilder();
        }

        /** Sets {@code lingerMs}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setLingerMs(String lingerMs) {
            this.lingerMs = lingerMs;
            return asBuilder();
        }

        /** Sets {@code maxMessageBytes}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setMaxMessageBytes(String maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return asBuilder();
        }

        /** Sets {@code bufferCapacity}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setBufferCapacity(String bufferCapacity) {
            this.bufferCapacity = bufferCapacity;
            return asBuilder();
        }

        /** Sets {@code maxBufferBytes}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setMaxBufferBytes(String maxBufferBytes) {
            this.maxBufferBytes = maxBufferBytes;
            return asBuilder();
        }

        /** Sets {@code overflowPolicy}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setOverflowPolicy(String overflowPolicy) {
            this.overflowPolicy = overflowPolicy;
            return asBuilder();
        }

        /** Sets {@code blockTimeoutMs}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setBlockTimeoutMs(String blockTimeoutMs) {
            this.blockTimeoutMs = blockTimeoutMs;
            return asBuilder();
        }

        /** Sets {@code maxInFlight}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setMaxInFlight(String maxInFlight) {
            this.maxInFlight = maxInFlight;
            return asBuilder();
        }

        /** Sets {@code deliveryTimeoutMs}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setDeliveryTimeoutMs(String deliveryTimeoutMs) {
            this.deliveryTimeoutMs = deliveryTimeoutMs;
            return asBuilder();
        }

        /** Sets {@code shutdownTimeoutMs}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setShutdownTimeoutMs(String shutdownTimeoutMs) {
            this.shutdownTimeoutMs = shutdownTimeoutMs;
            return asBuilder();
        }

        /** Sets {@code messageAttributes}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setMessageAttributes(String messageAttributes) {
            this.messageAttributes = messageAttributes;
            return asBuilder();
        }

        /** Sets {@code packing}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setPacking(String packing) {
            this.packing = packing;
            return asBuilder();
        }

        /** Sets {@code compression}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setCompression(String compression) {
            this.compression = compression;
            return asBuilder();
        }

        /** Sets {@code maxPackBytes}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setMaxPackBytes(String maxPackBytes) {
            this.maxPackBytes = maxPackBytes;
            return asBuilder();
        }

        /** Sets {@code largeMessagePolicy}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setLargeMessagePolicy(String largeMessagePolicy) {
            this.largeMessagePolicy = largeMessagePolicy;
            return asBuilder();
        }

        /** Sets {@code s3Bucket}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setS3Bucket(String s3Bucket) {
            this.s3Bucket = s3Bucket;
            return asBuilder();
        }

        /** Sets {@code s3KeyPrefix}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setS3KeyPrefix(String s3KeyPrefix) {
            this.s3KeyPrefix = s3KeyPrefix;
            return asBuilder();
        }

        /** Sets {@code s3Endpoint}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setS3Endpoint(String s3Endpoint) {
            this.s3Endpoint = s3Endpoint;
            return asBuilder();
        }

        /** Sets {@code fallback}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setFallback(String fallback) {
            this.fallback = fallback;
            return asBuilder();
        }

        /** Sets {@code messageGroupId}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setMessageGroupId(String messageGroupId) {
            this.messageGroupId = messageGroupId;
            return asBuilder();
        }

        /** Sets {@code deduplication}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setDeduplication(String deduplication) {
            this.deduplication = deduplication;
            return asBuilder();
        }

        /** Sets {@code jmx}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setJmx(String jmx) {
            this.jmx = jmx;
            return asBuilder();
        }

        /** Sets {@code captureStreams}; see {@link io.github.sqsappender.core.ConfigAttribute} for its meaning and default. */
        public B setCaptureStreams(String captureStreams) {
            this.captureStreams = captureStreams;
            return asBuilder();
        }

        /** The configured attributes by name: every {@code @PluginBuilderAttribute} field of this class. */
        Map<String, String> attributes() {
            Map<String, String> values = new TreeMap<>();
            for (Field field : Builder.class.getDeclaredFields()) {
                if (field.isAnnotationPresent(PluginBuilderAttribute.class)) {
                    try {
                        values.put(field.getName(), (String) field.get(this));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e); // a field of this very class: cannot happen
                    }
                }
            }
            return values;
        }

        @Override
        public SqsAppender build() {
            String name = getName();
            if (name == null || name.isBlank()) {
                LOGGER.error("Sqs appender: the name attribute is required");
                return null;
            }
            Map<String, String> attributes = attributes();
            SqsAppenderConfig config;
            try {
                config = SqsAppenderConfig.builder(name).setAll(attributes).build();
            } catch (InvalidConfigurationException e) {
                for (String problem : e.problems()) {
                    LOGGER.error("Sqs appender '{}': {}", name, problem);
                }
                return null;
            }
            Layout<? extends Serializable> layout = getLayout();
            if (layout == null) {
                layout = PatternLayout.newBuilder().withPattern(DEFAULT_PATTERN).withConfiguration(getConfiguration()).build();
            }
            String groupPattern = config.messageGroupPattern();
            Layout<?> groupLayout = null;
            if (groupPattern != null) {
                PatternProblems problems = PatternProblems.listen();
                try {
                    groupLayout = PatternLayout.newBuilder().withPattern(groupPattern).withConfiguration(getConfiguration()).build();
                } finally {
                    problems.stopListening();
                }
                if (problems.first() != null) {
                    LOGGER.error("Sqs appender '{}': messageGroupId={} is invalid: {}", name, groupPattern, problems.first());
                    return null;
                }
            }
            SqsManager manager;
            try {
                // Same name and same attributes: the same manager, so a reconfiguration keeps its events.
                manager = SqsManager.getManager(SqsManager.key(name, attributes), config,
                        !Log4jExitPolicy.log4jStopsAtExit(getConfiguration()));
            } catch (RuntimeException | LinkageError e) {
                LOGGER.error("Sqs appender '{}': {}", name, e.getMessage(), e);
                return null;
            }
            return new SqsAppender(name, getFilter(), layout, isIgnoreExceptions(), getPropertyArray(), manager,
                    new LogEventAccessor(groupLayout), config.captureStreams(), getConfiguration());
        }
    }
}
