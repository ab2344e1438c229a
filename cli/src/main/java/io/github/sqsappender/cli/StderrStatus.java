package io.github.sqsappender.cli;

import io.github.sqsappender.core.StatusPort;

import java.io.PrintStream;

/**
 * The command's status channel: warnings and errors on its standard error, each line starting with
 * {@code sqs-appender} (the engine's own messages already do, naming the appender); info is quiet.
 * Any thread.
 */
final class StderrStatus implements StatusPort {

    private final PrintStream err;

    StderrStatus(PrintStream err) {
        this.err = err;
    }

    @Override
    public void info(String message) {
        // quiet: the command's own output is what the user reads
    }

    @Override
    public void warn(String message, Throwable cause) {
        err.println(prefixed(message));
    }

    @Override
    public void error(String message, Throwable cause) {
        err.println(prefixed(message));
    }

    private static String prefixed(String message) {
        return message.startsWith("sqs-appender") ? message : "sqs-appender: " + message;
    }
}
