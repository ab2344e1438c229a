package io.github.sqsappender.core;

import java.util.Objects;

/**
 * One configured SQS message attribute: which field of the log event it carries and the attribute
 * name it is sent under. Parsed from the {@code messageAttributes} list ({@code level, logger,
 * thread, host, timestamp, mdc:KEY}).
 */
public final class AttributeSpec {

    /** The event field an attribute carries. */
    public enum Field { LEVEL, LOGGER, THREAD, HOST, TIMESTAMP, MDC }

    private final Field field;
    private final String mdcKey;
    private final String attributeName;

    private AttributeSpec(Field field, String mdcKey, String attributeName) {
        this.field = field;
        this.mdcKey = mdcKey;
        this.attributeName = attributeName;
    }

    /** The longest message attribute name SQS accepts. */
    static final int MAX_NAME_CHARS = 256;

    /**
     * Parses one list item.
     *
     * @throws IllegalArgumentException naming the item when it is not one of the known forms
     */
    public static AttributeSpec parse(String item) {
        String trimmed = item.trim();
        if (trimmed.regionMatches(true, 0, "mdc:", 0, 4)) {
            String key = trimmed.substring(4).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("'" + item + "' needs a key after 'mdc:'");
            }
            String name = "mdc." + attributeSafe(key);
            if (name.length() > MAX_NAME_CHARS) {
                throw new IllegalArgumentException("'" + item + "' makes an attribute name of " + name.length()
                        + " characters; SQS allows " + MAX_NAME_CHARS);
            }
            return new AttributeSpec(Field.MDC, key, name);
        }
        switch (trimmed.toLowerCase(java.util.Locale.ROOT)) {
            case "level": return new AttributeSpec(Field.LEVEL, null, "level");
            case "logger": return new AttributeSpec(Field.LOGGER, null, "logger");
            case "thread": return new AttributeSpec(Field.THREAD, null, "thread");
            case "host": return new AttributeSpec(Field.HOST, null, "host");
            case "timestamp": return new AttributeSpec(Field.TIMESTAMP, null, "timestamp");
            default:
                throw new IllegalArgumentException("'" + item
                        + "' is not one of level, logger, thread, host, timestamp, mdc:KEY");
        }
    }

    /** SQS attribute names allow letters, digits, '_', '-' and '.', without two '.' in a row (also after "mdc."), nor one at the end. */
    private static String attributeSafe(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        char previous = '.'; // the name is "mdc." + this: a leading '.' would make two in a row
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || (c == '.' && previous != '.');
            char out = ok ? c : '_';
            sb.append(out);
            previous = out;
        }
        if (sb.charAt(sb.length() - 1) == '.') {
            sb.setCharAt(sb.length() - 1, '_');
        }
        return sb.toString();
    }

    public Field field() {
        return field;
    }

    /** The MDC key for {@link Field#MDC}; null otherwise. */
    public String mdcKey() {
        return mdcKey;
    }

    /** The SQS message attribute name, e.g. {@code level} or {@code mdc.requestId}. */
    public String attributeName() {
        return attributeName;
    }

    /** {@code Number} for the timestamp (epoch milliseconds), {@code String} for the rest. */
    public String dataType() {
        return field == Field.TIMESTAMP ? "Number" : "String";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttributeSpec && ((AttributeSpec) o).attributeName.equals(attributeName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(attributeName);
    }

    @Override
    public String toString() {
        return field == Field.MDC ? "mdc:" + mdcKey : attributeName;
    }
}
