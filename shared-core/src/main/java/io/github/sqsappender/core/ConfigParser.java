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

import static io.github.sqsappender.core.SqsAppenderConfig.*;

/** Parses text values, recording one problem per bad attribute instead of stopping at the first. */
final class ConfigParser {
    final String name;
    final Map<String, String> values;
    final List<String> problems = new ArrayList<>();
    final List<String> ignored = new ArrayList<>();
    final Set<String> unresolved = new LinkedHashSet<>();

    ConfigParser(String name, Map<String, String> values) {
        this.name = name;
        this.values = withoutUnresolvedReferences(values);
        if (name == null || name.isBlank()) {
            problems.add("name is required");
        }
    }

    /**
     * The values without those that are unresolved property references, each reported: a
     * missing system property or environment variable should say so, not "invalid URL".
     * ({@code messageGroupId} may hold {@code ${...}} on purpose: Log4j2 evaluates it per event.)
     */
    Map<String, String> withoutUnresolvedReferences(Map<String, String> raw) {
        Map<String, String> kept = new LinkedHashMap<>();
        raw.forEach((attribute, value) -> {
            if (!attribute.equals(ConfigAttribute.MESSAGE_GROUP_ID.name()) && isUnresolvedReference(value)) {
                unresolved.add(attribute);
                ConfigAttribute described = ConfigAttribute.named(attribute);
                problems.add(attribute + "=" + (described == null ? value : described.shown(value))
                        + " is an unresolved property reference: define the property "
                        + "(system property, environment variable, Spring or framework property) or remove the attribute");
            } else {
                kept.put(attribute, value);
            }
        });
        return kept;
    }

    /** True when the configuration sets {@code attribute} (to any value, valid or not). */
    boolean isGiven(ConfigAttribute attribute) {
        return values.get(attribute.name()) != null;
    }

    /** The value or the default; a value that breaks the attribute's rule is recorded as a problem. */
    String text(ConfigAttribute attribute) {
        String raw = values.get(attribute.name());
        String problem = raw == null ? null : attribute.problemWith(raw);
        if (problem != null) {
            problems.add(attribute + "=" + attribute.shown(raw) + " is invalid: " + problem);
        }
        return raw != null ? raw : attribute.defaultValue();
    }

    long number(ConfigAttribute attribute) {
        String raw = values.get(attribute.name());
        long defaultValue = Long.parseLong(attribute.defaultValue());
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
        if (value < attribute.min() || value > attribute.max()) {
            problems.add(attribute + "=" + raw + " is invalid: must be between " + attribute.min() + " and "
                    + attribute.max());
            return defaultValue;
        }
        return value;
    }

    boolean bool(ConfigAttribute attribute) {
        String raw = values.get(attribute.name());
        boolean defaultValue = Boolean.parseBoolean(attribute.defaultValue());
        if (raw == null) {
            return defaultValue;
        }
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw);
        }
        problems.add(attribute + "=" + raw + " is invalid: must be true or false");
        return defaultValue;
    }

    <T extends Enum<T>> T choice(ConfigAttribute attribute, Class<T> type) {
        String raw = values.get(attribute.name());
        T defaultValue = Enum.valueOf(type, attribute.defaultValue().toUpperCase(Locale.ROOT));
        if (raw == null) {
            return defaultValue;
        }
        for (T constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw)) {
                return constant;
            }
        }
        problems.add(attribute + "=" + raw + " is invalid: must be one of " + String.join(", ", attribute.choices()));
        return defaultValue;
    }

    URI uri(ConfigAttribute attribute) {
        String raw = values.get(attribute.name());
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

    List<AttributeSpec> attributes(ConfigAttribute attribute) {
        String raw = values.get(attribute.name());
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

    java.util.Set<io.github.sqsappender.core.streams.StandardStream> streams(ConfigAttribute attribute) {
        String raw = text(attribute);
        java.util.EnumSet<io.github.sqsappender.core.streams.StandardStream> streams =
                java.util.EnumSet.noneOf(io.github.sqsappender.core.streams.StandardStream.class);
        if (raw == null) {
            return java.util.Collections.unmodifiableSet(streams);
        }
        for (String part : raw.split(",")) {
            String name = part.trim();
            io.github.sqsappender.core.streams.StandardStream match = null;
            for (io.github.sqsappender.core.streams.StandardStream s : io.github.sqsappender.core.streams.StandardStream.values()) {
                if (s.loggerName().equalsIgnoreCase(name)) {
                    match = s;
                }
            }
            if (match == null) {
                problems.add(attribute.name() + "=" + raw + " is invalid: '" + name
                        + "' is not a stream; use stdout, stderr or both, comma-separated");
            } else if (!streams.add(match)) {
                problems.add(attribute.name() + "=" + raw + " is invalid: " + name + " is listed twice");
            }
        }
        return java.util.Collections.unmodifiableSet(streams);
    }

    void checkS3(SqsAppenderConfig c) {
        List<String> users = new ArrayList<>();
        if (c.largeMessagePolicy() == LargeMessagePolicy.S3) {
            users.add("largeMessagePolicy=s3");
        }
        if (c.fallback() == Fallback.S3) {
            users.add("fallback=s3");
        }
        if (!users.isEmpty() && c.s3Bucket() == null) {
            problems.add(String.join(" and ", users) + " needs s3Bucket: set the bucket to write to");
        }
        if (c.largeMessagePolicy() == LargeMessagePolicy.S3 && c.messageAttributes().size() >= SQS_MAX_ATTRIBUTES) {
            problems.add("messageAttributes=" + values.get(ConfigAttribute.MESSAGE_ATTRIBUTES.name())
                    + " is invalid with largeMessagePolicy=s3: an offloaded message also carries ExtendedPayloadSize, "
                    + "and SQS allows " + SQS_MAX_ATTRIBUTES + " attributes; list at most " + (SQS_MAX_ATTRIBUTES - 1));
        }
    }

    void crossCheck(SqsAppenderConfig c) {
        if (values.get(ConfigAttribute.QUEUE_URL.name()) == null && c.queueName() == null
                && !unresolved.contains(ConfigAttribute.QUEUE_URL.name()) && !unresolved.contains(ConfigAttribute.QUEUE_NAME.name())) {
            problems.add("queueUrl is required (or set queueName to look the queue up by name)");
        }
        if (values.get(ConfigAttribute.QUEUE_URL.name()) != null && c.queueName() != null) {
            problems.add("queueName=" + c.queueName() + " is invalid: set either queueUrl or queueName, not both");
        }
        if (c.roleSessionName() != null && c.roleArn() == null) {
            problems.add("roleSessionName=" + c.roleSessionName() + " needs roleArn: set the role to assume");
        }
        if (c.externalId() != null && c.roleArn() == null) {
            problems.add("externalId=" + ConfigAttribute.EXTERNAL_ID.shown(c.externalId())
                    + " needs roleArn: set the role to assume");
        }
        if (c.compression() != Compression.NONE && c.packing() == Packing.NONE) {
            problems.add("compression=" + values.get(ConfigAttribute.COMPRESSION.name())
                    + " is invalid without packing: set packing=ndjson (single events are not compressed)");
        }
        if (c.packing() != Packing.NONE) {
            for (AttributeSpec spec : c.messageAttributes()) {
                if (spec.field() != AttributeSpec.Field.HOST) {
                    problems.add("messageAttributes=" + values.get(ConfigAttribute.MESSAGE_ATTRIBUTES.name())
                            + " is invalid with packing=" + values.get(ConfigAttribute.PACKING.name()) + ": '" + spec
                            + "' differs per event, and a packed message carries many events; only host is allowed");
                }
            }
            if (c.maxMessageBytes() > 0 && c.maxPackBytes() > c.maxMessageBytes()) {
                problems.add("maxPackBytes=" + c.maxPackBytes() + " is invalid: above maxMessageBytes="
                        + c.maxMessageBytes());
            }
        }
        checkS3(c);
        checkIgnored(c);
    }

    /**
     * Attributes that are valid but have no effect on this queue. Not errors: one configuration
     * file often serves a FIFO queue in one environment and a standard queue in another.
     */
    private void checkIgnored(SqsAppenderConfig c) {
        boolean queueKnown = c.queueUrl() != null || c.queueName() != null;
        if (queueKnown && !c.isFifo()) {
            for (ConfigAttribute fifoOnly : List.of(ConfigAttribute.MESSAGE_GROUP_ID, ConfigAttribute.DEDUPLICATION)) {
                String value = values.get(fifoOnly.name());
                if (value != null) {
                    ignored.add(fifoOnly + "=" + value + " is ignored: it applies to FIFO queues only, and "
                            + c.queueDescription() + " is a standard queue (its name does not end in .fifo)");
                }
            }
        }
        if (c.queueUrl() != null && c.queueOwnerAccountId() != null) {
            ignored.add("queueOwnerAccountId=" + c.queueOwnerAccountId() + " is ignored: it applies with queueName; "
                    + "queueUrl already names the queue's account");
        }
        if (c.largeMessagePolicy() != LargeMessagePolicy.S3 && c.fallback() != Fallback.S3) {
            for (ConfigAttribute s3Only : List.of(ConfigAttribute.S3_BUCKET, ConfigAttribute.S3_KEY_PREFIX,
                    ConfigAttribute.S3_ENDPOINT)) {
                ignoredUnless(s3Only, "S3 is used only with fallback=s3 or largeMessagePolicy=s3");
            }
        }
        if (c.overflowPolicy() != OverflowPolicy.BLOCK) {
            ignoredUnless(ConfigAttribute.BLOCK_TIMEOUT_MS, "it applies with overflowPolicy=block");
        }
        if (c.packing() == Packing.NONE) {
            ignoredUnless(ConfigAttribute.MAX_PACK_BYTES, "it applies with packing=ndjson");
        }
    }

    private void ignoredUnless(ConfigAttribute attribute, String why) {
        String value = values.get(attribute.name());
        if (value != null) {
            ignored.add(attribute + "=" + attribute.shown(value) + " is ignored: " + why);
        }
    }
}
