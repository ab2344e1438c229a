package io.github.sqsappender.cli;

import io.github.sqsappender.core.EventAccessor;
import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.SqsPipeline;
import io.github.sqsappender.core.streams.LineSplitter;
import io.github.sqsappender.core.streams.StandardStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command with its stdout and stderr piped (stdin inherited), copies every byte to our own
 * stdout/stderr unchanged, and appends each line to the pipeline as an event of stream
 * {@code stdout}/{@code stderr}, body = the line as is. SIGTERM/SIGINT reach the command through a
 * shutdown hook; when it ends, what is buffered is delivered within {@code shutdownTimeoutMs}.
 * Without a command, the same for our own stdin (as stream {@code stdout}). Main thread.
 */
final class Shipper {

    /** One captured line: what the engine reads through {@link #ACCESSOR}. */
    record Line(StandardStream stream, String text, String thread, long epochMillis) {
    }

    static final EventAccessor<Line> ACCESSOR = new EventAccessor<>() {
        @Override public String level(Line l) { return l.stream().level(); }
        @Override public boolean isWarnOrMoreSevere(Line l) { return l.stream() == StandardStream.STDERR; }
        @Override public String loggerName(Line l) { return l.stream().loggerName(); }
        @Override public String threadName(Line l) { return l.thread(); }
        @Override public long timestampMillis(Line l) { return l.epochMillis(); }
        @Override public String mdc(Line l, String key) { return null; }
    };

    private final SqsAppenderConfig config;
    private final SqsPipeline pipeline;
    private final PrintStream out;
    private final PrintStream err;
    private final Charset charset = Charset.defaultCharset();
    private volatile boolean finished;

    Shipper(SqsAppenderConfig config, SqsPipeline pipeline, PrintStream out, PrintStream err) {
        this.config = config;
        this.pipeline = pipeline;
        this.out = out;
        this.err = err;
    }

    int run(List<String> command) {
        pipeline.start();
        int status;
        if (command.isEmpty()) {
            pump(System.in, out, StandardStream.STDOUT, "stdin");
            status = 0;
        } else {
            status = runCommand(command);
        }
        finish();
        return status;
    }

    private int runCommand(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            err.println("sqs-appender: cannot run " + command.get(0) + ": " + e.getMessage());
            finish();
            return 127; // as a shell says "command not found"
        }
        Thread stdout = pumpThread(process.getInputStream(), out, StandardStream.STDOUT);
        Thread stderr = pumpThread(process.getErrorStream(), err, StandardStream.STDERR);
        // A signal to us (SIGTERM, SIGINT) runs the hooks: pass it on as SIGTERM, let the command end,
        // and deliver what it printed before we exit.
        Thread onSignal = new Thread(() -> {
            if (!finished) {
                process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the pipes we still read
                try {
                    process.waitFor(config.shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
                    stdout.join(1_000);
                    stderr.join(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finish();
            }
        }, "sqs-appender-cli-signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
        int status;
        try {
            status = process.waitFor();
            stdout.join();
            stderr.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            status = 130;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException e) {
            // the JVM is already exiting: the hook does the rest
        }
        return status;
    }

    private Thread pumpThread(InputStream from, PrintStream to, StandardStream stream) {
        Thread t = new Thread(() -> pump(from, to, stream, stream.loggerName() + " reader"), "sqs-appender-cli-" + stream.loggerName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Copies {@code from} to {@code to} byte for byte until its end, shipping each line. */
    private void pump(InputStream from, PrintStream to, StandardStream stream, String thread) {
        LineSplitter lines = new LineSplitter(charset,
                line -> pipeline.append(line, new Line(stream, line, thread, System.currentTimeMillis()), ACCESSOR));
        byte[] buffer = new byte[8_192];
        try {
            int n;
            while ((n = from.read(buffer)) > 0) {
                to.write(buffer, 0, n);
                to.flush();
                lines.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the command's end of the pipe closed: what was read is shipped below
        }
        lines.flushPartial();
    }

    /** Delivers what is buffered within shutdownTimeoutMs; a summary on stderr if anything was dropped. */
    private synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        pipeline.stop(config.shutdownTimeoutMs());
        SqsAppenderMetrics m = pipeline.metrics();
        if (m.getEventsDropped() > 0) {
            err.println("sqs-appender: " + m.getEventsAppended() + " lines, " + m.getEventsSent() + " sent, "
                    + m.getEventsDropped() + " dropped");
        }
    }
}
