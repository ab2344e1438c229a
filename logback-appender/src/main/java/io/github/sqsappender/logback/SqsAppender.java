package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.github.sqsappender.core.AppendGate;
import io.github.sqsappender.core.ConfigAttribute;
import io.github.sqsappender.core.EventFormatter;
import io.github.sqsappender.core.InvalidConfigurationException;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.SqsPipeline;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logback appender that ships events to Amazon SQS in batches.
 *
 * <pre>{@code
 * <appender name="SQS" class="io.github.sqsappender.logback.SqsAppender">
 *   <queueUrl>https://sqs.us-east-1.amazonaws.com/123456789012/app-logs</queueUrl>
 *   <encoder class="net.logstash.logback.encoder.LogstashEncoder"/>
 * </appender>
 * }</pre>
 *
 * The encoder runs on the logging thread; the core pipeline batches and sends off-thread.
 * {@link #append} never blocks on the network and never throws. Validation happens in
 * {@link #start()}: each invalid attribute is one {@code addWarn} naming it and its value, and
 * the appender then does not start (the application does). A warning, not an error: Logback and
 * Spring Boot both print it at startup, but Spring Boot turns any error status raised while it
 * configures Logback into a failed application start.
 */
public class SqsAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Used when no encoder is configured: the message and a line break. */
    public static final String DEFAULT_PATTERN = SqsAppenderConfig.DEFAULT_PATTERN;

    private final Map<String, String> attributes = new LinkedHashMap<>();
    // Logback >= 1.5.21 no longer guards re-entry by default: an encoder that logs would recurse.
    private final ThreadLocal<Boolean> appending = new ThreadLocal<>();
    private final AppendGate gate = new AppendGate();
    private Encoder<ILoggingEvent> encoder;
    private boolean layoutOnly; // see encodesAsItsLayout; set by start()
    private java.nio.charset.Charset encodedCharset = StandardCharsets.UTF_8; // what the encoder's bytes are in; set by start()
    private volatile SqsPipeline pipeline;
    private LoggingEventAccessor accessor;
    private final EventFormatter<ILoggingEvent> formatter = this::format;
    private volatile io.github.sqsappender.core.streams.AppenderCapture capture;

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        SqsAppenderConfig config;
        try {
            config = SqsAppenderConfig.builder(getName()).setAll(attributes).build();
        } catch (InvalidConfigurationException e) {
            for (String problem : e.problems()) {
                addWarn("SqsAppender '" + getName() + "': " + problem); // a warning: see the class comment
            }
            return;
        }
        PatternLayout groupLayout = null;
        String groupPattern = config.messageGroupPattern();
        if (groupPattern != null) {
            try {
                groupLayout = MessageGroupLayout.start(getContext(), groupPattern);
            } catch (IllegalArgumentException e) {
                addWarn("SqsAppender '" + getName() + "': messageGroupId=" + groupPattern + " is invalid: "
                        + e.getMessage()); // a warning: see the class comment
                return;
            }
        }
        if (encoder == null) {
            PatternLayoutEncoder fallback = new PatternLayoutEncoder();
            fallback.setContext(getContext());
            fallback.setPattern(DEFAULT_PATTERN);
            fallback.start();
            encoder = fallback;
            addInfo("SqsAppender '" + getName() + "': no encoder configured, using " + DEFAULT_PATTERN);
        }
        if (!encoder.isStarted()) { // set up in code without start(): its layout would format nothing
            if (encoder.getContext() == null) {
                encoder.setContext(getContext());
            }
            encoder.start();
            addInfo("SqsAppender '" + getName() + "': started its encoder, which had not been started");
        }
        layoutOnly = encodesAsItsLayout(encoder);
        encodedCharset = encoder instanceof LayoutWrappingEncoder<ILoggingEvent> wrapping
                ? (wrapping.getCharset() != null ? wrapping.getCharset() : java.nio.charset.Charset.defaultCharset())
                : StandardCharsets.UTF_8;
        SqsPipeline created;
        try {
            created = SqsPipeline.create(config, new LogbackStatusPort(this));
        } catch (RuntimeException | LinkageError e) {
            addWarn("SqsAppender '" + getName() + "': " + e.getMessage(), e); // a warning: see the class comment
            return;
        }
        accessor = new LoggingEventAccessor(groupLayout);
        created.start();
        // Logback stops appenders at exit only with <shutdownHook/> (or Spring Boot's hook); the
        // pipeline's own hook covers every other setup and is removed again by stop(). While
        // either of those hooks runs, it waits for their stop, which then delivers.
        created.stopAtJvmExit(this::logbackShutdownHook);
        pipeline = created;
        super.start();
        if (!config.captureStreams().isEmpty()) {
            io.github.sqsappender.core.streams.AppenderCapture c = new io.github.sqsappender.core.streams.AppenderCapture(
                    getName(), getContext(), config.captureStreams(), this::appendLine, null, created::capturedLinesLost);
            c.start(problem -> addWarn("SqsAppender '" + getName() + "': " + problem)); // a warning: see the class comment
            created.beforeStop(c::flushPartialLines); // the JVM exit hook stops the pipeline, not this appender
            capture = c;
        }
    }

    /** Logback's own shutdown hook thread ({@code <shutdownHook/>}), which stops this appender at exit; or none. */
    private java.util.List<Thread> logbackShutdownHook() {
        Object hook = getContext() == null ? null : getContext().getObject(ch.qos.logback.core.CoreConstants.SHUTDOWN_HOOK_THREAD);
        return hook instanceof Thread ? java.util.List.of((Thread) hook) : java.util.List.of();
    }

    /**
     * A captured line as an event of this appender only: logger {@code stdout}/{@code stderr},
     * through the appender's own filters and encoder.
     */
    private void appendLine(io.github.sqsappender.core.streams.StandardStream stream, String line, String threadName,
                            long epochMillis) {
        SqsPipeline p = pipeline;
        if (p == null) {
            return;
        }
        ch.qos.logback.classic.spi.LoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent();
        event.setLoggerName(stream.loggerName());
        event.setLevel(ch.qos.logback.classic.Level.toLevel(stream.level()));
        event.setMessage(line);
        event.setThreadName(threadName);
        event.setTimeStamp(epochMillis);
        if (getContext() instanceof ch.qos.logback.classic.LoggerContext loggerContext) {
            event.setLoggerContext(loggerContext);
        }
        if (getFilterChainDecision(event) == ch.qos.logback.core.spi.FilterReply.DENY) {
            return; // the appender's own filters apply to what it captures, as to what it is given
        }
        p.appendCaptured(event, formatter, accessor);
    }

    /**
     * Logback's entry point, wrapped so that {@link #stop()} can wait for appends that already
     * passed Logback's {@code started} check: an event whose append began before the stop is
     * delivered, not counted as a shutdown drop.
     */
    @Override
    public void doAppend(ILoggingEvent event) {
        gate.enter();
        try {
            super.doAppend(event);
        } finally {
            gate.exit();
        }
    }

    /**
     * Formats and buffers one event; called by Logback on the logging thread. Never throws and
     * never does I/O. Events from the AWS SDK, Netty, the HTTP clients and the appender's own
     * threads are skipped; so is anything logged from inside this method (re-entry).
     */
    @Override
    protected void append(ILoggingEvent event) {
        if (appending.get() != null) {
            return;
        }
        SqsPipeline p = pipeline;
        if (p == null) {
            return;
        }
        appending.set(Boolean.TRUE);
        try {
            p.append(event, formatter, accessor);
        } finally {
            appending.remove();
        }
    }

    private String format(ILoggingEvent event) {
        if (layoutOnly) {
            return ((LayoutWrappingEncoder<ILoggingEvent>) encoder).getLayout().doLayout(event);
        }
        byte[] bytes = encoder.encode(event);
        return bytes == null ? null : new String(bytes, encodedCharset);
    }

    /**
     * True when the encoder's bytes are exactly its layout's text in its charset (a
     * {@code PatternLayoutEncoder}, or any {@code LayoutWrappingEncoder} that keeps its
     * {@code encode}): the text is then taken from the layout, without a round trip through bytes. A
     * subclass that overrides {@code encode} (to mask, to prefix) is run as it is.
     */
    private static boolean encodesAsItsLayout(Encoder<ILoggingEvent> encoder) {
        if (!(encoder instanceof LayoutWrappingEncoder)) {
            return false;
        }
        try {
            return encoder.getClass().getMethod("encode", Object.class).getDeclaringClass() == LayoutWrappingEncoder.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return false;
        }
    }

    /**
     * Delivers what is buffered (within {@code shutdownTimeoutMs}), stops the dispatcher thread,
     * closes the SQS client, unregisters the MBean and removes the JVM exit hook.
     */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        io.github.sqsappender.core.streams.AppenderCapture c = capture;
        if (c != null) {
            // Partial lines first, while the pipeline still takes them. Logback reconfigures by
            // stopping this appender before it starts the next: the capture waits for that one.
            if (isReconfiguring()) {
                c.stopForReconfiguration();
            } else {
                c.stop();
            }
            capture = null;
        }
        super.stop(); // no new append passes Logback's started check from here on
        SqsPipeline p = pipeline;
        if (p != null) {
            // Appends already past the check finish into the running pipeline (this thread's own,
            // if it stops from inside an append, is not waited for).
            p.stopAfterAppends(gate, appending.get() != null ? 1 : 0);
        }
    }

    /**
     * True when this stop is a reset of the logger context that is not its stop: a reconfiguration
     * (a changed file, a {@code JoranConfigurator} after {@code reset()}), which starts new appenders
     * right after. Logback says so nowhere else.
     */
    private static boolean isReconfiguring() {
        java.util.Set<String> contextMethods = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.filter(f -> f.getDeclaringClass() == LoggerContext.class)
                        .map(StackWalker.StackFrame::getMethodName).collect(java.util.stream.Collectors.toSet()));
        return contextMethods.contains("reset") && !contextMethods.contains("stop");
    }

    /**
     * Sends everything appended so far and waits up to {@code timeoutMillis} for it to be
     * delivered — for short-lived runtimes such as AWS Lambda. Any thread.
     *
     * @return true if everything appended before the call was delivered
     */
    public boolean flush(long timeoutMillis) {
        io.github.sqsappender.core.streams.AppenderCapture c = capture;
        if (c != null) {
            c.flushPartialLines();
        }
        SqsPipeline p = pipeline;
        return p != null && p.flush(timeoutMillis);
    }

    /**
     * Flushes every SQS appender of the current Logback context — attached to a logger, or behind an
     * {@code AsyncAppender} (whose queue is waited for first) — waiting at most
     * {@code timeoutMillis} in all: what a Lambda handler calls before it returns (the runtime
     * freezes the process, and the appender's thread with it, once the handler has returned).
     * Any thread.
     *
     * @return true if every such appender delivered everything logged before the call (also
     *         when there is none)
     */
    public static boolean flushAll(long timeoutMillis) {
        if (!(org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) {
            return true;
        }
        java.util.Set<SqsAppender> appenders = new java.util.LinkedHashSet<>();
        java.util.Set<ch.qos.logback.core.AsyncAppenderBase<?>> upstream = new java.util.LinkedHashSet<>();
        for (ch.qos.logback.classic.Logger logger : context.getLoggerList()) {
            for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
                collect(it.next(), appenders, upstream, new java.util.ArrayList<>());
            }
        }
        return io.github.sqsappender.core.FlushAll.within(
                appenders.stream().<io.github.sqsappender.core.FlushAll.Flushable>map(a -> a::flush).toList(),
                upstream.stream().map(SqsAppender::emptiedAndIdle).toList(),
                () -> appenders.stream().map(SqsAppender::getMetrics).filter(java.util.Objects::nonNull)
                        .mapToLong(SqsAppenderMetrics::getEventsAppended).sum(),
                timeoutMillis, io.github.sqsappender.core.Ticker.system());
    }

    /**
     * An {@code AsyncAppender} as a flush waits for it: empty once its queue is empty and its worker
     * waits for the queue. The worker takes everything queued at once and holds it while it appends
     * it, one event after another, so an empty queue alone does not mean it handed everything over.
     */
    private static io.github.sqsappender.core.FlushAll.Upstream emptiedAndIdle(ch.qos.logback.core.AsyncAppenderBase<?> async) {
        java.util.List<Thread> workers = io.github.sqsappender.core.jvm.LiveThreads.named("AsyncAppender-Worker-" + async.getName());
        return () -> async.getNumberOfElementsInQueue() == 0 && workers.stream().allMatch(SqsAppender::waitsForItsQueue);
    }

    /** True when {@code worker} has ended or is parked taking from its own queue (not appending, not waiting for room). */
    static boolean waitsForItsQueue(Thread worker) {
        return io.github.sqsappender.core.jvm.LiveThreads.waitsForItsQueue(worker, "ch.qos.logback.core.AsyncAppenderBase");
    }

    /**
     * Finds the SQS appenders behind {@code appender} — itself, or nested in an {@code AsyncAppender}
     * or any other {@code AppenderAttachable} — and the asynchronous appenders in front of them
     * ({@code path}), whose queues a flush must wait for.
     */
    private static void collect(ch.qos.logback.core.Appender<?> appender, java.util.Set<SqsAppender> appenders,
                                java.util.Set<ch.qos.logback.core.AsyncAppenderBase<?>> upstream,
                                java.util.List<ch.qos.logback.core.Appender<?>> path) {
        if (appender instanceof SqsAppender sqs) {
            appenders.add(sqs);
            for (ch.qos.logback.core.Appender<?> before : path) {
                if (before instanceof ch.qos.logback.core.AsyncAppenderBase<?> async) {
                    upstream.add(async);
                }
            }
        } else if (appender instanceof ch.qos.logback.core.spi.AppenderAttachable<?> attachable && !path.contains(appender)) {
            path.add(appender);
            for (var it = attachable.iteratorForAppenders(); it.hasNext(); ) {
                collect(it.next(), appenders, upstream, path);
            }
            path.remove(path.size() - 1);
        }
    }

    /** Live metrics, or null before a successful start. */
    public SqsAppenderMetrics getMetrics() {
        SqsPipeline p = pipeline;
        return p == null ? null : p.metrics();
    }

    public Encoder<ILoggingEvent> getEncoder() {
        return encoder;
    }

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    /**
     * The older {@code <layout class="…">} form, as Logback's own output-stream appenders accept
     * it: the layout is wrapped in an encoder. Configuration thread only, before {@link #start()}.
     */
    public void setLayout(ch.qos.logback.core.Layout<ILoggingEvent> layout) {
        LayoutWrappingEncoder<ILoggingEvent> wrapping = new LayoutWrappingEncoder<>();
        wrapping.setLayout(layout);
        wrapping.setContext(getContext());
        wrapping.start();
        this.encoder = wrapping;
    }

    // --- Joran setters: one per ConfigAttribute, as text; validated together in start().
    public void setQueueUrl(String value) { set(ConfigAttribute.QUEUE_URL, value); }
    public void setQueueName(String value) { set(ConfigAttribute.QUEUE_NAME, value); }
    public void setQueueOwnerAccountId(String value) { set(ConfigAttribute.QUEUE_OWNER_ACCOUNT_ID, value); }
    public void setRegion(String value) { set(ConfigAttribute.REGION, value); }
    public void setEndpoint(String value) { set(ConfigAttribute.ENDPOINT, value); }
    public void setProfile(String value) { set(ConfigAttribute.PROFILE, value); }
    public void setRoleArn(String value) { set(ConfigAttribute.ROLE_ARN, value); }
    public void setRoleSessionName(String value) { set(ConfigAttribute.ROLE_SESSION_NAME, value); }
    public void setExternalId(String value) { set(ConfigAttribute.EXTERNAL_ID, value); }
    public void setClientFactory(String value) { set(ConfigAttribute.CLIENT_FACTORY, value); }
    public void setHttpClient(String value) { set(ConfigAttribute.HTTP_CLIENT, value); }
    public void setMaxBatchSize(String value) { set(ConfigAttribute.MAX_BATCH_SIZE, value); }
    public void setLingerMs(String value) { set(ConfigAttribute.LINGER_MS, value); }
    public void setMaxMessageBytes(String value) { set(ConfigAttribute.MAX_MESSAGE_BYTES, value); }
    public void setBufferCapacity(String value) { set(ConfigAttribute.BUFFER_CAPACITY, value); }
    public void setMaxBufferBytes(String value) { set(ConfigAttribute.MAX_BUFFER_BYTES, value); }
    public void setOverflowPolicy(String value) { set(ConfigAttribute.OVERFLOW_POLICY, value); }
    public void setBlockTimeoutMs(String value) { set(ConfigAttribute.BLOCK_TIMEOUT_MS, value); }
    public void setMaxInFlight(String value) { set(ConfigAttribute.MAX_IN_FLIGHT, value); }
    public void setDeliveryTimeoutMs(String value) { set(ConfigAttribute.DELIVERY_TIMEOUT_MS, value); }
    public void setShutdownTimeoutMs(String value) { set(ConfigAttribute.SHUTDOWN_TIMEOUT_MS, value); }
    public void setMessageAttributes(String value) { set(ConfigAttribute.MESSAGE_ATTRIBUTES, value); }
    public void setPacking(String value) { set(ConfigAttribute.PACKING, value); }
    public void setCompression(String value) { set(ConfigAttribute.COMPRESSION, value); }
    public void setMaxPackBytes(String value) { set(ConfigAttribute.MAX_PACK_BYTES, value); }
    public void setLargeMessagePolicy(String value) { set(ConfigAttribute.LARGE_MESSAGE_POLICY, value); }
    public void setS3Bucket(String value) { set(ConfigAttribute.S3_BUCKET, value); }
    public void setS3KeyPrefix(String value) { set(ConfigAttribute.S3_KEY_PREFIX, value); }
    public void setS3Endpoint(String value) { set(ConfigAttribute.S3_ENDPOINT, value); }
    public void setFallback(String value) { set(ConfigAttribute.FALLBACK, value); }
    public void setMessageGroupId(String value) { set(ConfigAttribute.MESSAGE_GROUP_ID, value); }
    public void setDeduplication(String value) { set(ConfigAttribute.DEDUPLICATION, value); }
    public void setJmx(String value) { set(ConfigAttribute.JMX, value); }
    public void setCaptureStreams(String value) { set(ConfigAttribute.CAPTURE_STREAMS, value); }

    private void set(ConfigAttribute attribute, String value) {
        attributes.put(attribute.name(), value);
    }
}
