package io.github.sqsappender.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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

    private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)*-[0-9]+|local");

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
    private final int maxBatchSize;
    private final long lingerMs;
    private final int maxMessageBytes;
    private final int bufferCapacity;
    private final long maxBufferBytes;
    private final OverflowPolicy overflowPolicy;
    private final long blockTimeoutMs;
    private final int maxInFlight;
    private final long deliveryTimeoutMs;
    private final long shutdownTimeoutMs;
    private final List<AttributeSpec> messageAttributes;
    private final LargeMessagePolicy largeMessagePolicy;
    private final String s3Bucket;
    private final String s3KeyPrefix;
    private final String fallback;
    private final String messageGroupId;
    private final Deduplication deduplication;
    private final boolean jmx;

    private SqsAppenderConfig(Parser p) {
        this.name = p.name;
        this.queueUrl = p.uri("queueUrl");
        this.queueName = p.text("queueName");
        this.queueOwnerAccountId = p.text("queueOwnerAccountId");
        this.region = p.text("region");
        this.endpoint = p.uri("endpoint");
        this.profile = p.text("profile");
        this.roleArn = p.text("roleArn");
        this.roleSessionName = p.text("roleSessionName");
        this.externalId = p.text("externalId");
        this.clientFactory = p.text("clientFactory");
        this.maxBatchSize = (int) p.number("maxBatchSize", 10, 1, SQS_MAX_BATCH_ENTRIES);
        this.lingerMs = p.number("lingerMs", 200, 0, 3_600_000);
        this.maxMessageBytes = (int) p.number("maxMessageBytes", 0, SQS_MIN_MESSAGE_BYTES, SQS_MAX_MESSAGE_BYTES);
        this.bufferCapacity = (int) p.number("bufferCapacity", 65_536, 1, MAX_BUFFER_CAPACITY);
        this.maxBufferBytes = p.number("maxBufferBytes", 33_554_432, 1_024, MAX_BUFFER_BYTES);
        this.overflowPolicy = p.choice("overflowPolicy", OverflowPolicy.class, OverflowPolicy.DROP);
        this.blockTimeoutMs = p.number("blockTimeoutMs", 1_000, 0, 3_600_000);
        this.maxInFlight = (int) p.number("maxInFlight", 8, 1, 256);
        this.deliveryTimeoutMs = p.number("deliveryTimeoutMs", 60_000, 1, 86_400_000);
        this.shutdownTimeoutMs = p.number("shutdownTimeoutMs", 10_000, 0, 3_600_000);
        this.messageAttributes = p.attributes("messageAttributes");
        this.largeMessagePolicy = p.choice("largeMessagePolicy", LargeMessagePolicy.class, LargeMessagePolicy.TRUNCATE);
        this.s3Bucket = p.text("s3Bucket");
        this.s3KeyPrefix = Optional.ofNullable(p.text("s3KeyPrefix")).orElse("sqs-appender/");
        this.fallback = Optional.ofNullable(p.text("fallback")).orElse("none");
        this.messageGroupId = p.text("messageGroupId");
        this.deduplication = p.choice("deduplication", Deduplication.class, Deduplication.UNIQUE);
        this.jmx = p.bool("jmx", true);
        p.crossCheck(this);
    }

    /** Starts a configuration for the appender called {@code name} (used in thread and MBean names). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() { return name; }
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
    public LargeMessagePolicy largeMessagePolicy() { return largeMessagePolicy; }
    public String s3Bucket() { return s3Bucket; }
    public String s3KeyPrefix() { return s3KeyPrefix; }
    public String fallback() { return fallback; }
    /** The FIFO message group pattern, or null for the host name. */
    public String messageGroupId() { return messageGroupId; }
    public Deduplication deduplication() { return deduplication; }
    public boolean jmx() { return jmx; }

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
        private static final Set<String> KNOWN = Set.of("queueUrl", "queueName", "queueOwnerAccountId",
                "region", "endpoint", "profile", "roleArn", "roleSessionName", "externalId", "clientFactory",
                "maxBatchSize", "lingerMs", "maxMessageBytes", "bufferCapacity", "maxBufferBytes",
                "overflowPolicy", "blockTimeoutMs", "maxInFlight", "deliveryTimeoutMs", "shutdownTimeoutMs",
                "messageAttributes", "largeMessagePolicy", "s3Bucket", "s3KeyPrefix", "fallback",
                "messageGroupId", "deduplication", "jmx");

        private final String name;
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Sets one attribute by its SPEC name. Null or blank values mean "default".
         *
         * @throws IllegalArgumentException if {@code attribute} is not a known attribute name
         */
        public Builder set(String attribute, String value) {
            if (!KNOWN.contains(attribute)) {
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

        /** The names of all attributes this builder accepts. */
        public static Set<String> attributeNames() {
            return KNOWN;
        }

        /**
         * Validates every attribute and returns the configuration.
         *
         * @throws InvalidConfigurationException listing every invalid attribute with its value
         */
        public SqsAppenderConfig build() throws InvalidConfigurationException {
            Parser parser = new Parser(name, values);
            SqsAppenderConfig config = new SqsAppenderConfig(parser);
            if (!parser.problems.isEmpty()) {
                throw new InvalidConfigurationException(parser.problems);
            }
            return config;
        }
    }

    /** Parses text values, recording one problem per bad attribute instead of stopping at the first. */
    private static final class Parser {
        final String name;
        final Map<String, String> values;
        final List<String> problems = new ArrayList<>();

        Parser(String name, Map<String, String> values) {
            this.name = name;
            this.values = values;
            if (name == null || name.isBlank()) {
                problems.add("name is required");
            }
        }

        String text(String attribute) {
            return values.get(attribute);
        }

        long number(String attribute, long defaultValue, long min, long max) {
            String raw = values.get(attribute);
            if (raw == null) {
                return defaultValue;
            }
            long value;
            try {
                value = Long.parseLong(raw.replace("_", ""));
            } catch (NumberFormatException e) {
                problems.add(attribute + "=" + raw + " is invalid: not a whole number");
                return defaultValue;
            }
            if (value < min || value > max) {
                problems.add(attribute + "=" + raw + " is invalid: must be between " + min + " and " + max);
                return defaultValue;
            }
            return value;
        }

        boolean bool(String attribute, boolean defaultValue) {
            String raw = values.get(attribute);
            if (raw == null) {
                return defaultValue;
            }
            if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(raw);
            }
            problems.add(attribute + "=" + raw + " is invalid: must be true or false");
            return defaultValue;
        }

        <T extends Enum<T>> T choice(String attribute, Class<T> type, T defaultValue) {
            String raw = values.get(attribute);
            if (raw == null) {
                return defaultValue;
            }
            for (T constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(raw)) {
                    return constant;
                }
            }
            List<String> names = new ArrayList<>();
            for (T constant : type.getEnumConstants()) {
                names.add(constant.name().toLowerCase(Locale.ROOT));
            }
            problems.add(attribute + "=" + raw + " is invalid: must be one of " + String.join(", ", names));
            return defaultValue;
        }

        URI uri(String attribute) {
            String raw = values.get(attribute);
            if (raw == null) {
                return null;
            }
            try {
                URI uri = new URI(raw);
                String scheme = uri.getScheme();
                if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                        || uri.getHost() == null) {
                    problems.add(attribute + "=" + raw + " is invalid: must be an absolute http(s) URL with a host");
                    return null;
                }
                return uri;
            } catch (URISyntaxException e) {
                problems.add(attribute + "=" + raw + " is invalid: " + e.getMessage());
                return null;
            }
        }

        List<AttributeSpec> attributes(String attribute) {
            String raw = values.get(attribute);
            if (raw == null) {
                return List.of();
            }
            Set<AttributeSpec> specs = new LinkedHashSet<>();
            for (String item : raw.split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                try {
                    AttributeSpec spec = AttributeSpec.parse(item);
                    if (!specs.add(spec)) {
                        problems.add(attribute + "=" + raw + " is invalid: '" + item.trim() + "' is listed twice");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(attribute + "=" + raw + " is invalid: " + e.getMessage());
                }
            }
            if (specs.size() > SQS_MAX_ATTRIBUTES) {
                problems.add(attribute + "=" + raw + " is invalid: SQS allows at most " + SQS_MAX_ATTRIBUTES
                        + " attributes, " + specs.size() + " given");
            }
            return List.copyOf(specs);
        }

        void crossCheck(SqsAppenderConfig c) {
            if (values.get("queueUrl") == null && c.queueName == null) {
                problems.add("queueUrl is required (or set queueName to look the queue up by name)");
            }
            if (values.get("queueUrl") != null && c.queueName != null) {
                problems.add("queueName=" + c.queueName + " is invalid: set either queueUrl or queueName, not both");
            }
            if (c.queueName != null && !c.queueName.matches("[A-Za-z0-9_-]{1,75}(\\.fifo)?")) {
                problems.add("queueName=" + c.queueName
                        + " is invalid: up to 80 letters, digits, '-' or '_' (plus '.fifo' for FIFO queues)");
            }
            if (c.queueOwnerAccountId != null && !c.queueOwnerAccountId.matches("[0-9]{12}")) {
                problems.add("queueOwnerAccountId=" + c.queueOwnerAccountId + " is invalid: must be a 12-digit account id");
            }
            if (c.region != null && !REGION.matcher(c.region).matches()) {
                problems.add("region=" + c.region + " is invalid: not an AWS region name such as us-east-1");
            }
            if (c.roleArn != null && !c.roleArn.startsWith("arn:")) {
                problems.add("roleArn=" + c.roleArn + " is invalid: must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
            }
            if ((c.roleSessionName != null || c.externalId != null) && c.roleArn == null) {
                problems.add("roleSessionName/externalId need roleArn");
            }
            if (c.largeMessagePolicy == LargeMessagePolicy.S3) {
                problems.add("largeMessagePolicy=s3 is not yet supported: use truncate or drop");
            }
            if (!c.fallback.equalsIgnoreCase("none")) {
                problems.add("fallback=" + c.fallback + " is not yet supported: only 'none' is available");
            }
        }
    }

    /** The largest message size the appender may ever need to hold before the queue's limit is known. */
    public int effectiveMaxMessageBytesUpperBound() {
        return maxMessageBytes > 0 ? maxMessageBytes : SQS_MAX_MESSAGE_BYTES;
    }

    @Override
    public String toString() {
        return "SqsAppenderConfig{name=" + name + ", queue=" + queueDescription() + ", fifo=" + isFifo()
                + ", maxBatchSize=" + maxBatchSize + ", lingerMs=" + lingerMs + ", maxInFlight=" + maxInFlight
                + ", bufferCapacity=" + bufferCapacity + ", maxBufferBytes=" + maxBufferBytes + "}";
    }
}
