package io.github.sqsappender.log4j2;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * What Log4j2's pattern parser reports while a pattern is parsed. The parser keeps a conversion it
 * does not know as literal text and says so only on the status logger, without naming the
 * attribute the pattern came from; listening for it lets the appender name {@code messageGroupId}
 * (and repeat the parser's message in its own error: while a listener is registered, Log4j2 2.23+
 * does not also print status messages on the console).
 * Listens from {@link #listen} to {@link #stopListening}; the configuration thread.
 */
final class PatternProblems implements StatusListener {

    private final Thread owner = Thread.currentThread();
    private volatile String first;

    private PatternProblems() {
    }

    /** Starts listening. */
    static PatternProblems listen() {
        PatternProblems problems = new PatternProblems();
        StatusLogger.getLogger().registerListener(problems);
        return problems;
    }

    /** The first problem the parser reported while listening, or null. */
    String first() {
        return first;
    }

    @Override
    public void log(StatusData data) {
        // Only the parser's, on the thread that parses: other threads' status errors (another
        // configuration's) may come while this one listens.
        if (first != null || Thread.currentThread() != owner) {
            return;
        }
        String message = data.getMessage().getFormattedMessage();
        if (message != null && message.contains("conversion")) {
            first = message;
        }
    }

    @Override
    public Level getStatusLevel() {
        return Level.ERROR;
    }

    /** Stops listening. */
    void stopListening() {
        StatusLogger.getLogger().removeListener(this);
    }

    /** What the status logger calls as it removes this listener: nothing to release. */
    @Override
    public void close() {
    }
}
