package io.github.sqsappender.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One configuration attribute, described once: its name (the same in both frameworks), the kind
 * of value, its default, its range, choices or {@link TextRule rule}, and one line of documentation. The configuration
 * parser, the Logback setters, the Log4j2 builder attributes and the configuration page's table (docs/configuration.md)
 * all follow from {@link #all()}; each adapter has a parity test against it.
 */
public final class ConfigAttribute {

    /** The kind of value an attribute takes. */
    public enum Kind { TEXT, URL, NUMBER, BOOLEAN, CHOICE, LIST }

    private static final Map<String, ConfigAttribute> BY_NAME = new LinkedHashMap<>();

    public static final ConfigAttribute QUEUE_URL = text("queueUrl", "—",
            "the queue; required unless `queueName` is given. A non-AWS host (ElasticMQ, LocalStack) is also used as the endpoint.")
            .kind(Kind.URL);
    public static final ConfigAttribute QUEUE_NAME = text("queueName", "—",
            "looked up once with GetQueueUrl, on the dispatcher thread (never at startup)")
            .rule(TextRule.matching("[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\\.fifo",
                    "up to 80 characters, letters, digits, '-' or '_' (a FIFO queue's name ends in '.fifo', which counts)",
                    "1–80 ASCII letters, digits, `-` and `_`; a FIFO queue's name ends in `.fifo`, which counts"));
    public static final ConfigAttribute QUEUE_OWNER_ACCOUNT_ID = text("queueOwnerAccountId", "—",
            "with `queueName`, for a queue in another account (beside `queueUrl`: ignored, with a warning at start)")
            .rule(TextRule.matching("[0-9]{12}", "must be a 12-digit account id", "12 digits"));
    public static final ConfigAttribute REGION = text("region",
            "from the queue URL's host (`sqs.REGION.amazonaws.com`), else the SDK's region chain", "the AWS region")
            .rule(TextRule.matching("[a-z]{2,}(-[a-z0-9]+)*-[0-9]+|local", "not an AWS region name such as us-east-1",
                    "a region name such as `us-east-1`, or `local`"));
    public static final ConfigAttribute ENDPOINT = text("endpoint", "—",
            "endpoint override (VPC endpoint, ElasticMQ, LocalStack)").kind(Kind.URL);
    public static final ConfigAttribute PROFILE = text("profile", "—",
            "named credentials profile; otherwise the SDK's default chain (env, system properties, web identity, "
                    + "container, instance role). Access keys are never taken as attributes.");
    public static final ConfigAttribute ROLE_ARN = text("roleArn", "—",
            "assume this role; needs `software.amazon.awssdk:sts` and a synchronous HTTP client (the `apache-client` sts "
                    + "brings, or `url-connection-client`) on the classpath (a clear error names `roleArn` otherwise)")
            .rule(TextRule.matching("(?s)arn:.*", "must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                    "starts with `arn:`: an IAM role ARN, `arn:aws:iam::ACCOUNT:role/NAME`"));
    public static final ConfigAttribute ROLE_SESSION_NAME = text("roleSessionName", "`sqs-appender-NAME`",
            "with `roleArn`: the role session name")
            .rule(TextRule.matching("[\\w+=,.@-]{2,64}", "STS takes 2 to 64 letters, digits and + = , . @ - _",
                    "2–64 ASCII letters, digits and `+ = , . @ - _`"));
    public static final ConfigAttribute EXTERNAL_ID = text("externalId", "—",
            "with `roleArn`: the external id the role's trust policy requires (never printed)")
            .rule(TextRule.matching("[\\w+=,.@:/-]{2,1224}", "STS takes 2 to 1224 letters, digits and + = , . @ : / - _",
                    "2–1224 ASCII letters, digits and `+ = , . @ : / - _`"))
            .secret();
    public static final ConfigAttribute CLIENT_FACTORY = text("clientFactory", "—",
            "class implementing `io.github.sqsappender.core.aws.SqsClientFactory` that builds the `SqsAsyncClient` "
                    + "(proxies, custom HTTP client). Not with the `sqs-appender-all` jar, whose SDK is relocated");
    public static final ConfigAttribute HTTP_CLIENT = choice("httpClient", HttpClientType.class, HttpClientType.NETTY,
            "the HTTP client for SQS and S3: `netty` (non-blocking, two I/O threads), `crt` (needs "
                    + "`software.amazon.awssdk:aws-crt-client`; native, non-blocking; its threads outlive a web application's undeploy) "
                    + "or `apache` (needs "
                    + "`software.amazon.awssdk:apache-client`; blocking, one thread per request in flight). "
                    + "A `clientFactory` builds the SQS client with its own; the S3 client uses this one unless the "
                    + "factory builds that too. The `sqs-appender-all` jar has `netty` only");
    public static final ConfigAttribute MAX_BATCH_SIZE = number("maxBatchSize", 10, 1, SqsAppenderConfig.SQS_MAX_BATCH_ENTRIES,
            "entries per SendMessageBatch");
    public static final ConfigAttribute LINGER_MS = number("lingerMs", 200, 0, 3_600_000,
            "the longest an event waits for its batch to fill");
    public static final ConfigAttribute MAX_MESSAGE_BYTES = number("maxMessageBytes", 0,
            SqsAppenderConfig.SQS_MIN_MESSAGE_BYTES, SqsAppenderConfig.SQS_MAX_MESSAGE_BYTES,
            "per-message limit for size decisions; never above the queue's `MaximumMessageSize` when it can be read")
            .defaultDoc("the queue's `MaximumMessageSize` (read at start), `262144` if unreadable");
    public static final ConfigAttribute BUFFER_CAPACITY = number("bufferCapacity", 1_048_576, 1, SqsAppenderConfig.MAX_BUFFER_CAPACITY,
            "the most events held between the application and SQS (buffered, batching, in flight, awaiting retry); "
                    + "with the default `maxBufferBytes` the byte bound applies first");
    public static final ConfigAttribute MAX_BUFFER_BYTES = number("maxBufferBytes", 33_554_432, 1_024, SqsAppenderConfig.MAX_BUFFER_BYTES,
            "memory held there: each event counts its text plus a fixed 112-byte overhead, so the bound holds "
                    + "for tiny events too; whichever bound is hit first applies. INFO and below may use 90% of either; "
                    + "the rest is kept for WARN/ERROR (not for captured lines, stderr's included). An event larger than "
                    + "that share even of an empty buffer is counted as `oversize`.");
    public static final ConfigAttribute OVERFLOW_POLICY = choice("overflowPolicy", OverflowPolicy.class, OverflowPolicy.DROP,
            "`drop`: a new event that does not fit is discarded and counted; `block`: the caller waits up to "
                    + "`blockTimeoutMs` (parking, not spinning), then drops. An interrupted thread does not wait, and neither "
                    + "does the thread of an asynchronous logger or appender in front of this one: a wait there would "
                    + "hold the stage full, and with it the appender's own threads, which log through it");
    public static final ConfigAttribute BLOCK_TIMEOUT_MS = number("blockTimeoutMs", 1_000, 0, 3_600_000,
            "with `overflowPolicy=block`: the longest a logging call waits for room");
    public static final ConfigAttribute MAX_IN_FLIGHT = number("maxInFlight", 8, 1, 256,
            "concurrent SendMessageBatch requests (FIFO queues always use 1, see [FIFO queues](#fifo-queues)); raise it "
                    + "(e.g. 32) for more than a few thousand events/s per JVM");
    public static final ConfigAttribute DELIVERY_TIMEOUT_MS = number("deliveryTimeoutMs", 60_000, 1, 86_400_000,
            "how long an event may keep being retried before it is given up (counted as `undeliverable`)");
    public static final ConfigAttribute SHUTDOWN_TIMEOUT_MS = number("shutdownTimeoutMs", 10_000, 0, 3_600_000,
            "the longest a stop (including the one at JVM exit) waits to deliver what is buffered");
    public static final ConfigAttribute MESSAGE_ATTRIBUTES = text("messageAttributes", "—",
            "comma list of `level`, `logger`, `thread`, `host`, `timestamp` (Number, epoch ms), `mdc:KEY` (sent as "
                    + "`mdc.KEY`); at most 10 (9 with `largeMessagePolicy=s3`: an offloaded message also carries "
                    + "`ExtendedPayloadSize`); counted in the message size. With `packing=ndjson` only `host` (the others "
                    + "differ per event; a packed message carries many)").kind(Kind.LIST);
    public static final ConfigAttribute PACKING = choice("packing", Packing.class, Packing.NONE,
            "`none`: one event per SQS message. `ndjson`: many events per message, each a JSON string record on a line "
                    + "of its own (see [Packed messages](packing.md))");
    public static final ConfigAttribute COMPRESSION = choice("compression", Compression.class, Compression.NONE,
            "`gzip`: packed bodies are gzip'ed and base64'ed (`Content-Encoding: gzip,base64`). Only with `packing=ndjson`");
    public static final ConfigAttribute MAX_PACK_BYTES = number("maxPackBytes", 262_144,
            SqsAppenderConfig.SQS_MIN_MESSAGE_BYTES, SqsAppenderConfig.SQS_MAX_MESSAGE_BYTES,
            "the most bytes one packed message may hold (after compression, with its attributes); never above "
                    + "`maxMessageBytes`: the default is capped at a set `maxMessageBytes`, a value set above one is an error, "
                    + "and either is capped at the queue's limit when that is read");
    public static final ConfigAttribute LARGE_MESSAGE_POLICY = choice("largeMessagePolicy", LargeMessagePolicy.class,
            LargeMessagePolicy.TRUNCATE, "for one event larger than `maxMessageBytes` (packed or not; a packed event too large for a pack but within `maxMessageBytes` goes alone, untouched): `truncate` (UTF-8 safe, "
                    + "ends with `...[truncated N bytes]`), `drop` (counted as `oversize`) or `s3`: the body goes to S3 and the "
                    + "message is an Extended Client pointer to it (see [S3](s3.md))");
    public static final ConfigAttribute S3_BUCKET = text("s3Bucket", "—",
            "the bucket for `largeMessagePolicy=s3` and `fallback=s3` (required by either)")
            // as S3 accepts them for new buckets
            .rule(TextRule.matching("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "a bucket name is 3-63 characters of a-z, 0-9, "
                    + "'.' and '-', starting and ending with a letter or digit",
                    "3–63 lower-case ASCII letters, digits, `.` and `-`, starting and ending with a letter or digit"));
    public static final ConfigAttribute S3_KEY_PREFIX = text("s3KeyPrefix", "`sqs-appender/`",
            "key prefix for offloaded bodies (prefix + UUID) and fallback objects (prefix + `fallback/...`)")
            .defaultValue("sqs-appender/")
            .rule(TextRule.checkedBy(SqsAppenderConfig::keyPrefixProblem, "at most "
                    + SqsAppenderConfig.MAX_KEY_PREFIX_BYTES + " bytes; no leading `/`, no `//`, no `.` or `..` segment, "
                    + "no control character or `\\`, only characters SQS accepts in a body"));
    public static final ConfigAttribute S3_ENDPOINT = text("s3Endpoint", "—",
            "S3 endpoint override (S3-compatible servers, local tests); uses path-style access").kind(Kind.URL);
    public static final ConfigAttribute FALLBACK = choice("fallback", Fallback.class, Fallback.NONE,
            "where undeliverable events go: `none` (counted as `undeliverable` and reported) or `s3` (gzip'ed NDJSON "
                    + "objects in `s3Bucket`, see [S3](s3.md))");
    public static final ConfigAttribute MESSAGE_GROUP_ID = text("messageGroupId", "host name",
            "FIFO only: a pattern in the framework's own layout syntax, e.g. `%X{tenant}` (write `$${ctx:x}` in "
                    + "Log4j2 to defer a lookup to each event). On a standard queue: ignored, with a warning at start");
    public static final ConfigAttribute DEDUPLICATION = choice("deduplication", Deduplication.class, Deduplication.UNIQUE,
            "FIFO only: `unique` gives every event its own deduplication id, so identical lines are all kept; "
                    + "`content` leaves it to the queue's content-based deduplication. On a standard queue: ignored, with a "
                    + "warning at start");
    public static final ConfigAttribute JMX = bool("jmx", true,
            "register the metrics MBean `io.github.sqsappender:type=SqsAppender,name=NAME`");
    public static final ConfigAttribute CAPTURE_STREAMS = text("captureStreams", "—",
            "comma list of `stdout`, `stderr`: also ship what the JVM prints to `System.out` / `System.err` (and so "
                    + "child processes' output copied there, e.g. PySpark workers'), one event per line, logger "
                    + "`stdout` (INFO) / `stderr` (ERROR); every byte still reaches the console (see "
                    + "[Standard streams](streams.md))")
            .validValues("`stdout`, `stderr` or both, comma-separated");

    private final String name;
    private Kind kind;
    private String defaultValue;
    private String defaultDoc;
    private final long min;
    private final long max;
    private final List<String> choices;
    private final String doc;
    private TextRule rule;
    private String validValuesDoc;
    private boolean secret;

    private ConfigAttribute(String name, Kind kind, String defaultValue, String defaultDoc, long min, long max,
                            List<String> choices, String doc) {
        this.name = name;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.defaultDoc = defaultDoc;
        this.min = min;
        this.max = max;
        this.choices = choices;
        this.doc = doc;
        putUnique(BY_NAME, this);
    }

    /** Adds {@code attribute} under its name; a name described twice is a defect, found when the class loads. */
    static void putUnique(Map<String, ConfigAttribute> byName, ConfigAttribute attribute) {
        if (byName.putIfAbsent(attribute.name, attribute) != null) {
            throw new IllegalStateException("attribute '" + attribute.name + "' is described twice");
        }
    }

    private static ConfigAttribute text(String name, String defaultDoc, String doc) {
        return new ConfigAttribute(name, Kind.TEXT, null, defaultDoc, 0, 0, List.of(), doc);
    }

    private static ConfigAttribute number(String name, long defaultValue, long min, long max, String doc) {
        return new ConfigAttribute(name, Kind.NUMBER, Long.toString(defaultValue), "`" + defaultValue + "`",
                min, max, List.of(), doc);
    }

    private static ConfigAttribute bool(String name, boolean defaultValue, String doc) {
        return new ConfigAttribute(name, Kind.BOOLEAN, Boolean.toString(defaultValue), "`" + defaultValue + "`",
                0, 0, List.of("true", "false"), doc);
    }

    private static <T extends Enum<T>> ConfigAttribute choice(String name, Class<T> type, T defaultValue, String doc) {
        List<String> names = new ArrayList<>();
        for (T constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        String value = defaultValue.name().toLowerCase(Locale.ROOT);
        return new ConfigAttribute(name, Kind.CHOICE, value, "`" + value + "`", 0, 0, List.copyOf(names), doc);
    }

    // Construction-time refinements, used only in the declarations above.
    private ConfigAttribute kind(Kind kind) {
        this.kind = kind;
        return this;
    }

    private ConfigAttribute defaultValue(String value) {
        this.defaultValue = value;
        return this;
    }

    private ConfigAttribute defaultDoc(String text) {
        this.defaultDoc = text;
        return this;
    }

    private ConfigAttribute rule(TextRule rule) {
        this.rule = rule;
        return this;
    }

    /** For attributes whose rule lives in their own parser (lists): what the table says. */
    private ConfigAttribute validValues(String markdown) {
        this.validValuesDoc = markdown;
        return this;
    }

    private ConfigAttribute secret() {
        this.secret = true;
        return this;
    }

    /** True when a text value is checked against a {@link TextRule}. */
    boolean hasRule() {
        return rule != null;
    }

    /** Why {@code value} cannot be used (the text after "is invalid: "), or null when it can or there is no rule. */
    String problemWith(String value) {
        return rule == null ? null : rule.problem(value);
    }

    /** {@code value} as a status line may show it: a secret's length only, never its characters. */
    String shown(String value) {
        return secret ? "(hidden, " + value.length() + " characters)" : value;
    }

    /** Every attribute, in documentation order. */
    public static List<ConfigAttribute> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_NAME.values()));
    }

    /** The attribute called {@code name}, or null. */
    public static ConfigAttribute named(String name) {
        return BY_NAME.get(name);
    }

    /** The name, the same in Log4j2 (an attribute of {@code <Sqs>}) and Logback (a child element). */
    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** The default as configuration text, or null when there is none (or it is derived at start). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default as the configuration page shows it (Markdown). */
    public String defaultDoc() {
        return defaultDoc;
    }

    /** Smallest accepted value ({@link Kind#NUMBER} only). */
    public long min() {
        return min;
    }

    /** Largest accepted value ({@link Kind#NUMBER} only). */
    public long max() {
        return max;
    }

    /** Accepted values, lower case ({@link Kind#CHOICE} and {@link Kind#BOOLEAN} only). */
    public List<String> choices() {
        return choices;
    }

    /** True for attributes whose value alone can be invalid: numbers, choices and booleans. */
    public boolean hasCheckedValue() {
        return kind == Kind.NUMBER || kind == Kind.CHOICE || kind == Kind.BOOLEAN;
    }

    /** One line of documentation (Markdown). */
    public String doc() {
        return doc;
    }

    /** The Logback/JavaBeans setter for this attribute, e.g. {@code setQueueUrl}. */
    public String setterName() {
        return "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The configuration page's table (docs/configuration.md), generated from {@link #all()}. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| attribute | default | valid values | meaning |\n|---|---|---|---|\n");
        for (ConfigAttribute a : all()) {
            sb.append("| `").append(a.name).append("` | ").append(a.defaultDoc).append(" | ").append(a.validValues())
                    .append(" | ").append(a.doc).append(" |\n");
        }
        return sb.toString();
    }

    /** What validation accepts, for the table: a number's range, the choices, a text's rule. */
    String validValues() {
        if (rule != null) {
            return rule.validValues();
        }
        if (validValuesDoc != null) {
            return validValuesDoc;
        }
        switch (kind) {
            case NUMBER:
                return "`" + min + "`–`" + max + "`";
            case BOOLEAN:
            case CHOICE:
                return String.join(", ", choices.stream().map(c -> "`" + c + "`").toList());
            case URL:
                return "an absolute `http(s)` URL";
            default:
                return kind == Kind.LIST ? "comma list" : "any text";
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
