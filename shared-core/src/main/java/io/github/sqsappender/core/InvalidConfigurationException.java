package io.github.sqsappender.core;

import java.util.List;

/**
 * Thrown by {@link SqsAppenderConfig.Builder#build()} when one or more attributes are invalid. Each
 * problem names the attribute and the rejected value, so adapters can report them one by one.
 */
public final class InvalidConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One message per invalid attribute, each naming the attribute and its value. */
    public List<String> problems() {
        return problems;
    }
}
