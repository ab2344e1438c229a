package io.github.sqsappender.samples;

import java.util.Arrays;
import java.util.List;

/** Minimal {@code --name value} / {@code --flag} parsing for the sample mains. */
final class Args {

    private final List<String> args;

    Args(String[] args) {
        this.args = Arrays.asList(args);
    }

    String value(String name, String defaultValue) {
        int i = args.indexOf(name);
        if (i < 0) {
            return System.getProperty(name.substring(2), defaultValue);
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args.get(i + 1);
    }

    boolean flag(String name) {
        return args.contains(name) || Boolean.getBoolean(name.substring(2));
    }
}
