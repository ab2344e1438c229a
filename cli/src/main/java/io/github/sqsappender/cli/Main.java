package io.github.sqsappender.cli;

import io.github.sqsappender.core.ConfigAttribute;
import io.github.sqsappender.core.InvalidConfigurationException;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsPipeline;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar sqs-appender-cli.jar --queueUrl URL [--ATTRIBUTE VALUE ...] [-- COMMAND [ARG ...]]}:
 * ships every line a command prints (or, without a command, every line of standard input) to SQS,
 * through the same engine as the appenders, while copying every byte to this process's own
 * standard output and error unchanged. The exit status is the command's; 2 for a bad flag.
 */
public final class Main {

    /** Exit status for a flag that is unknown, lacks its value, or has an invalid value. */
    static final int USAGE = 2;

    /**
     * Netty's logger root, off. Netty refuses SLF4J's no-op binding and logs through
     * {@code java.util.logging}, whose console handler would print its stack traces (a listener
     * notified after the event loops closed, at exit) into the command's stderr. Held here: a
     * logger nobody references may be collected, and its level with it.
     */
    static final java.util.logging.Logger NETTY_LOGS = quiet("io.netty");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit status. The main thread. */
    static int run(String[] args, PrintStream out, PrintStream console) {
        PrintStream err = OwnLineStream.of(console);
        Map<String, String> attributes = new LinkedHashMap<>();
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                command.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(usage());
                return 0;
            }
            if (arg.equals("--version")) {
                out.println("sqs-appender-cli " + version());
                return 0;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                err.println("sqs-appender: unexpected argument '" + arg + "'; put the command after '--' (see --help)");
                return USAGE;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            }
            if (ConfigAttribute.named(name) == null) {
                err.println("sqs-appender: unknown option --" + name + " (see --help)");
                return USAGE;
            }
            if (value == null) {
                err.println("sqs-appender: --" + name + " needs a value");
                return USAGE;
            }
            attributes.put(name, value);
        }
        SqsAppenderConfig config;
        try {
            config = SqsAppenderConfig.builder("cli").setAll(attributes).build();
        } catch (InvalidConfigurationException e) {
            for (String problem : e.problems()) {
                err.println("sqs-appender: " + problem);
            }
            return USAGE;
        }
        if (!config.captureStreams().isEmpty()) {
            err.println("sqs-appender: --" + ConfigAttribute.CAPTURE_STREAMS.name() + " has no effect here: "
                    + "the command's output (or standard input) is what is shipped");
        }
        SqsPipeline pipeline;
        try {
            pipeline = SqsPipeline.create(config, new StderrStatus(err));
        } catch (RuntimeException | LinkageError e) {
            err.println("sqs-appender: " + e.getMessage());
            return USAGE;
        }
        return new Shipper(config, pipeline, out, err).run(command);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.OFF);
        return logger;
    }

    /** This jar's version, from its manifest; {@code unknown} when run from classes (tests, an IDE). */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version != null ? version : "unknown";
    }

    /** {@code --help}: every attribute with its default and meaning, from the same descriptors as the appenders'. */
    static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: java -jar sqs-appender-cli-").append(version()).append(".jar --queueUrl URL [--ATTRIBUTE VALUE ...] [-- COMMAND [ARG ...]]\n")
                .append("       java -jar sqs-appender-cli-").append(version()).append(".jar --help | --version\n\n")
                .append("Runs COMMAND, copies its stdout and stderr unchanged and ships each line to SQS as one event\n")
                .append("(stream stdout or stderr); the exit status is COMMAND's. Without COMMAND, ships the lines of\n")
                .append("standard input, copying them to standard output: python3 job.py 2>&1 | java -jar ... --queueUrl URL\n")
                .append("What is buffered is delivered within shutdownTimeoutMs before the command exits.\n\nAttributes:\n");
        for (ConfigAttribute attribute : ConfigAttribute.all()) {
            b.append("  --").append(attribute.name()).append("  (default: ").append(plain(attribute.defaultDoc()))
                    .append(")\n      ").append(plain(meaningHere(attribute))).append('\n');
        }
        return b.toString();
    }

    /** What an attribute does in this command, where that differs from what it does in an appender. */
    private static String meaningHere(ConfigAttribute attribute) {
        if (attribute == ConfigAttribute.MESSAGE_GROUP_ID) {
            return "FIFO only: the message group id of every line, used as given (no pattern: the command has no layout). "
                    + "On a standard queue: ignored, with a warning at start";
        }
        if (attribute == ConfigAttribute.CAPTURE_STREAMS) {
            return "no effect here: the command ships what COMMAND (or standard input) prints; accepted, with a warning";
        }
        return attribute.doc();
    }

    /** The Markdown of an attribute's doc as terminal text: no backticks, links as their text. */
    static String plain(String markdown) {
        return markdown.replace("`", "").replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
    }
}
