package io.github.sqsappender.samples;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code --name value} / {@code --flag} parsing for the sample mains, with the usual conventions:
 * {@code --help} asks for the usage text (exit 0), anything unknown or malformed is a
 * {@link UsageException} (exit 2).
 */
final class Args {

    /** A command line that cannot be run; the message says why. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final List<String> args;

    /**
     * @param options options that take a value
     * @param flags   options that stand alone
     * @throws UsageException for an unknown option, or one missing its value
     */
    Args(String[] args, Set<String> options, Set<String> flags) {
        this.args = Arrays.asList(args);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (options.contains(a)) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(a + " needs a value");
                }
                i++;
            } else if (!flags.contains(a) && !a.equals("--help") && !a.equals("-h")) {
                throw new UsageException("unknown option '" + a + "'");
            }
        }
    }

    /** True when the user asked for the usage text. */
    boolean wantsHelp() {
        return args.contains("--help") || args.contains("-h");
    }

    String value(String name, String defaultValue) {
        int i = args.indexOf(name);
        return i < 0 ? System.getProperty(name.substring(2), defaultValue) : args.get(i + 1);
    }

    /** The value of {@code name} as a number, or the default. */
    long number(String name, long defaultValue) {
        String raw = value(name, null);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(raw.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, not '" + raw + "'");
        }
    }

    boolean flag(String name) {
        return args.contains(name) || Boolean.getBoolean(name.substring(2));
    }
}
