package io.github.sqsappender.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The validated configuration of one appender: an immutable value shared by the adapters and the
 * core. Both frameworks configure it from text, so the {@link Builder} takes every attribute as a
 * string (null or blank means "use the default") and {@link Builder#build()} validates everything
 * in one place, reporting each bad attribute with its name and value.
 */
public final class SqsAppenderConfig {

    /** SQS's own per-message ceiling; also the largest {@code maxMessageBytes} accepted. */
    public static final int SQS_MAX_MESSAGE_BYTES = 1_048_576; // SQS quota: 1 MiB per message
    /** Used when the queue's MaximumMessageSize cannot be read. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 262_144;
    /** SQS's smallest configurable MaximumMessageSize. */
    public static final int SQS_MIN_MESSAGE_BYTES = 1_024; // SQS quota: MaximumMessageSize >= 1 KiB
    /** SQS allows at most ten entries per SendMessageBatch. */
    public static final int SQS_MAX_BATCH_ENTRIES = 10; // SQS quota: 10 entries per batch
    /** SQS allows at most ten message attributes per message. */
    public static final int SQS_MAX_ATTRIBUTES = 10; // SQS quota: 10 attributes per message
    /** The largest buffer we can account for (event count is packed into 25 bits). */
    public static final int MAX_BUFFER_CAPACITY = (1 << 25) - 1;
    /** The largest byte budget we can account for (byte count is packed into 38 bits). */
    public static final long MAX_BUFFER_BYTES = (1L << 38) - 1;

    /** The body layout when none is configured, in both frameworks' pattern syntax: the message and a line break. */
    public static final String DEFAULT_PATTERN = "%m%n";

    private final String name;
    private final URI queueUrl;
    private final String queueName;
    private final String queueOwnerAccountId;
    private final String region;
    private final URI endpoint;
    private final String profile;
    private final String roleArn;
    private final String roleSessionName;
    private final String externalId;
    private final String clientFactory;
    private final HttpClientType httpClient;
    private final int maxBatchSize;
    private final long lingerMs;
    private final int maxMessageBytes;
    private final int bufferCapacity;
    private final long maxBufferBytes;
    private final java.util.Set<io.github.sqsappender.core.streams.StandardStream> captureStreams;
    private final OverflowPolicy overflowPolicy;
    private final long blockTimeoutMs;
    private final int maxInFlight;
    private final long deliveryTimeoutMs;
    private final long shutdownTimeoutMs;
    private final List<AttributeSpec> messageAttributes;
    private final Packing packing;
    private final Compression compression;
    private final int maxPackBytes;
    private final LargeMessagePolicy largeMessagePolicy;
    private final String s3Bucket;
    private final String s3KeyPrefix;
    private final URI s3Endpoint;
    private final Fallback fallback;
    private final String messageGroupId;
    private final Deduplication deduplication;
    private final boolean jmx;
    private final List<String> ignoredAttributes;

    SqsAppenderConfig(ConfigParser p) {
        this.name = p.name;
        this.queueUrl = p.uri(ConfigAttribute.QUEUE_URL);
        this.queueName = p.text(ConfigAttribute.QUEUE_NAME);
        this.queueOwnerAccountId = p.text(ConfigAttribute.QUEUE_OWNER_ACCOUNT_ID);
        this.region = p.text(ConfigAttribute.REGION);
        this.endpoint = p.uri(ConfigAttribute.ENDPOINT);
        this.profile = p.text(ConfigAttribute.PROFILE);
        this.roleArn = p.text(ConfigAttribute.ROLE_ARN);
        this.roleSessionName = p.text(ConfigAttribute.ROLE_SESSION_NAME);
        this.externalId = p.text(ConfigAttribute.EXTERNAL_ID);
        this.clientFactory = p.text(ConfigAttribute.CLIENT_FACTORY);
        this.httpClient = p.choice(ConfigAttribute.HTTP_CLIENT, HttpClientType.class);
        this.maxBatchSize = (int) p.number(ConfigAttribute.MAX_BATCH_SIZE);
        this.lingerMs = p.number(ConfigAttribute.LINGER_MS);
        this.maxMessageBytes = (int) p.number(ConfigAttribute.MAX_MESSAGE_BYTES);
        this.bufferCapacity = (int) p.number(ConfigAttribute.BUFFER_CAPACITY);
        this.maxBufferBytes = p.number(ConfigAttribute.MAX_BUFFER_BYTES);
        this.overflowPolicy = p.choice(ConfigAttribute.OVERFLOW_POLICY, OverflowPolicy.class);
        this.blockTimeoutMs = p.number(ConfigAttribute.BLOCK_TIMEOUT_MS);
        this.maxInFlight = (int) p.number(ConfigAttribute.MAX_IN_FLIGHT);
        this.deliveryTimeoutMs = p.number(ConfigAttribute.DELIVERY_TIMEOUT_MS);
        this.shutdownTimeoutMs = p.number(ConfigAttribute.SHUTDOWN_TIMEOUT_MS);
        this.messageAttributes = p.attributes(ConfigAttribute.MESSAGE_ATTRIBUTES);
        this.packing = p.choice(ConfigAttribute.PACKING, Packing.class);
        this.compression = p.choice(ConfigAttribute.COMPRESSION, Compression.class);
        // The default never exceeds a smaller maxMessageBytes; only a maxPackBytes set above it conflicts.
        int packBytes = (int) p.number(ConfigAttribute.MAX_PACK_BYTES);
        this.maxPackBytes = p.isGiven(ConfigAttribute.MAX_PACK_BYTES) || maxMessageBytes <= 0
                ? packBytes : Math.min(packBytes, maxMessageBytes);
        this.largeMessagePolicy = p.choice(ConfigAttribute.LARGE_MESSAGE_POLICY, LargeMessagePolicy.class);
        this.s3Bucket = p.text(ConfigAttribute.S3_BUCKET);
        this.s3KeyPrefix = p.text(ConfigAttribute.S3_KEY_PREFIX);
        this.s3Endpoint = p.uri(ConfigAttribute.S3_ENDPOINT);
        this.fallback = p.choice(ConfigAttribute.FALLBACK, Fallback.class);
        this.messageGroupId = p.text(ConfigAttribute.MESSAGE_GROUP_ID);
        this.deduplication = p.choice(ConfigAttribute.DEDUPLICATION, Deduplication.class);
        this.jmx = p.bool(ConfigAttribute.JMX);
        this.captureStreams = p.streams(ConfigAttribute.CAPTURE_STREAMS);
        p.crossCheck(this);
        this.ignoredAttributes = List.copyOf(p.ignored);
    }

    /** Starts a configuration for the appender called {@code name} (used in thread and MBean names). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() { return name; }
    /** The standard streams to capture ({@code captureStreams}); empty when none. */
    public java.util.Set<io.github.sqsappender.core.streams.StandardStream> captureStreams() { return captureStreams; }
    /** The configured queue URL, or null when the queue is looked up by name. */
    public URI queueUrl() { return queueUrl; }
    public String queueName() { return queueName; }
    public String queueOwnerAccountId() { return queueOwnerAccountId; }
    /** The configured region, or null to derive it from the queue URL or the SDK's chain. */
    public String region() { return region; }
    public URI endpoint() { return endpoint; }
    public String profile() { return profile; }
    public String roleArn() { return roleArn; }
    public String roleSessionName() { return roleSessionName; }
    public String externalId() { return externalId; }
    public String clientFactory() { return clientFactory; }
    /** The HTTP client the SQS and S3 clients send with (unless {@link #clientFactory()} builds them). */
    public HttpClientType httpClient() { return httpClient; }
    public int maxBatchSize() { return maxBatchSize; }
    public long lingerMs() { return lingerMs; }
    /** The configured per-message limit, or 0 to read it from the queue. */
    public int maxMessageBytes() { return maxMessageBytes; }
    public int bufferCapacity() { return bufferCapacity; }
    public long maxBufferBytes() { return maxBufferBytes; }
    public OverflowPolicy overflowPolicy() { return overflowPolicy; }
    public long blockTimeoutMs() { return blockTimeoutMs; }
    public int maxInFlight() { return maxInFlight; }
    public long deliveryTimeoutMs() { return deliveryTimeoutMs; }
    public long shutdownTimeoutMs() { return shutdownTimeoutMs; }
    public List<AttributeSpec> messageAttributes() { return messageAttributes; }
    public Packing packing() { return packing; }
    public boolean isPacking() { return packing != Packing.NONE; }
    public Compression compression() { return compression; }
    /** The configured pack limit; the effective one is also capped by the queue's per-message limit. */
    /** The most bytes a packed message may hold: as set, or the default capped at a set {@code maxMessageBytes}. */
    public int maxPackBytes() { return maxPackBytes; }
    public LargeMessagePolicy largeMessagePolicy() { return largeMessagePolicy; }
    public String s3Bucket() { return s3Bucket; }
    public String s3KeyPrefix() { return s3KeyPrefix; }
    /** The S3 endpoint override, or null for AWS's. */
    public URI s3Endpoint() { return s3Endpoint; }
    public Fallback fallback() { return fallback; }
    /** True when S3 is used: {@code largeMessagePolicy=s3} or {@code fallback=s3}. */
    public boolean usesS3() { return largeMessagePolicy == LargeMessagePolicy.S3 || fallback == Fallback.S3; }
    /** The FIFO message group pattern, or null for the host name. */
    public String messageGroupId() { return messageGroupId; }
    /**
     * The pattern an adapter renders per event for the FIFO message group, in its framework's own
     * layout syntax; null when none is needed (a standard queue, or the host name as the group).
     */
    public String messageGroupPattern() { return isFifo() ? messageGroupId : null; }
    public Deduplication deduplication() { return deduplication; }
    public boolean jmx() { return jmx; }

    /**
     * Attributes that are set and valid but have no effect on this queue (a FIFO-only attribute
     * on a standard queue, {@code queueOwnerAccountId} beside a {@code queueUrl}), each as a
     * sentence naming the attribute and its value. The pipeline reports them as warnings when it
     * starts; they do not make the configuration invalid.
     */
    public List<String> ignoredAttributes() { return ignoredAttributes; }

    /** True when the queue is a FIFO queue, detected by the {@code .fifo} suffix. */
    public boolean isFifo() {
        String target = queueUrl != null ? queueUrl.getPath() : queueName;
        return target != null && target.endsWith(".fifo");
    }

    /** A short description of the target queue for status messages. */
    public String queueDescription() {
        return queueUrl != null ? queueUrl.toString() : "queue named '" + queueName + "'";
    }

    /**
     * Collects attribute values as text, exactly as a configuration file gives them. Not
     * thread-safe; build once and share the resulting immutable config.
     */
    public static final class Builder {

        private final String name;
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Sets one attribute by its name (see {@link ConfigAttribute}). Null or blank values mean
         * "default".
         *
         * @throws IllegalArgumentException if {@code attribute} is not a known attribute name
         */
        public Builder set(String attribute, String value) {
            if (ConfigAttribute.named(attribute) == null) {
                throw new IllegalArgumentException("Unknown sqs-appender attribute '" + attribute + "'");
            }
            if (value == null || value.isBlank()) {
                values.remove(attribute);
            } else {
                values.put(attribute, value.trim());
            }
            return this;
        }

        /** Sets every non-null entry of {@code attributes}; see {@link #set}. */
        public Builder setAll(Map<String, String> attributes) {
            attributes.forEach(this::set);
            return this;
        }

        /** The names of all attributes this builder accepts, in documentation order. */
        public static Set<String> attributeNames() {
            Set<String> names = new LinkedHashSet<>();
            for (ConfigAttribute attribute : ConfigAttribute.all()) {
                names.add(attribute.name());
            }
            return names;
        }

        /**
         * Validates every attribute and returns the configuration.
         *
         * @throws InvalidConfigurationException listing every invalid attribute with its value
         */
        public SqsAppenderConfig build() throws InvalidConfigurationException {
            ConfigParser parser = new ConfigParser(name, values);
            SqsAppenderConfig config = new SqsAppenderConfig(parser);
            if (!parser.problems.isEmpty()) {
                throw new InvalidConfigurationException(parser.problems);
            }
            return config;
        }
    }

    /**
     * A value the framework could not resolve: Log4j2 keeps an unresolved {@code ${...}} as it is,
     * Logback turns an undefined {@code ${name}} into {@code name_IS_UNDEFINED}.
     */
    static boolean isUnresolvedReference(String value) {
        int start = value.indexOf("${");
        return (start >= 0 && value.indexOf('}', start) > start) || value.contains("_IS_UNDEFINED");
    }

    /** Room the fallback's own key part needs after the prefix (S3 keys are at most 1,024 bytes). */
    static final int MAX_KEY_PREFIX_BYTES = 512;

    /** Why a key prefix cannot be used, or null when it can. */
    static String keyPrefixProblem(String prefix) {
        if (prefix.startsWith("/")) {
            return "must not start with '/' (S3 keys have no leading slash)";
        }
        if (prefix.contains("//")) {
            return "must not contain '//' (an empty path segment)";
        }
        for (String segment : prefix.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "must not contain '.' or '..' segments";
            }
        }
        for (int i = 0; i < prefix.length(); i++) {
            char ch = prefix.charAt(i);
            if (ch < 0x20 || ch == 0x7F || ch == '\\') {
                return "must not contain control characters or '\\'";
            }
        }
        if (io.github.sqsappender.core.text.Utf8.encodedLengthIfValid(prefix) < 0) { // the key is in the pointer's body
            return "must hold only characters SQS accepts in a message body (no unpaired surrogate, U+FFFE or U+FFFF)";
        }
        if (prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_PREFIX_BYTES) {
            return "is longer than " + MAX_KEY_PREFIX_BYTES + " bytes";
        }
        return null;
    }

    /** The largest message size the appender may ever need to hold before the queue's limit is known. */
    public int effectiveMaxMessageBytesUpperBound() { return maxMessageBytes > 0 ? maxMessageBytes : SQS_MAX_MESSAGE_BYTES; }

    @Override
    public String toString() {
        return "SqsAppenderConfig{name=" + name + ", queue=" + queueDescription() + ", fifo=" + isFifo()
                + ", maxBatchSize=" + maxBatchSize + ", lingerMs=" + lingerMs + ", maxInFlight=" + maxInFlight
                + ", bufferCapacity=" + bufferCapacity + ", maxBufferBytes=" + maxBufferBytes + "}";
    }
}
