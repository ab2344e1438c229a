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
 * {@code stdout}/{@code stderr}, body = the line as is. SIGTERM and SIGINT are passed on to the
 * command as they are; when it ends, what is buffered is delivered within {@code shutdownTimeoutMs}
 * and the exit status is the command's. Without a command, the same for our own stdin (as stream
 * {@code stdout}) until its end or a signal, which delivers what was read and exits 128 + the
 * signal's number. Main thread.
 */
final class Shipper {

    /** One captured line: what the engine reads through {@link #accessor}. */
    record Line(StandardStream stream, String text, String thread, long epochMillis) {
    }

    /** How the engine reads a {@link Line}; on a FIFO queue, {@code messageGroupId} is used as it is (there is no pattern syntax here). */
    static EventAccessor<Line> accessor(SqsAppenderConfig config) {
        String groupId = config.messageGroupPattern();
        return new EventAccessor<>() {
            @Override public String level(Line l) { return l.stream().level(); }
            @Override public boolean isWarnOrMoreSevere(Line l) { return l.stream() == StandardStream.STDERR; }
            @Override public String loggerName(Line l) { return l.stream().loggerName(); }
            @Override public String threadName(Line l) { return l.thread(); }
            @Override public long timestampMillis(Line l) { return l.epochMillis(); }
            @Override public String mdc(Line l, String key) { return null; }
            @Override public String messageGroupId(Line l) { return groupId; }
        };
    }

    private final SqsAppenderConfig config;
    private final SqsPipeline pipeline;
    private final EventAccessor<Line> accessor;
    private final PrintStream out;
    private final PrintStream err;
    private final Charset charset = LineSplitter.decodingFor(Charset.defaultCharset());
    private boolean finished; // guarded by this

    Shipper(SqsAppenderConfig config, SqsPipeline pipeline, PrintStream out, PrintStream err) {
        this.config = config;
        this.pipeline = pipeline;
        this.accessor = accessor(config);
        this.out = out;
        this.err = err;
    }

    int run(List<String> command) {
        pipeline.start();
        int status = command.isEmpty() ? runStdin() : runCommand(command);
        finish();
        return status;
    }

    private int runStdin() {
        LineSplitter lines = splitter(StandardStream.STDOUT, "stdin");
        // A signal ends the input: what was read is delivered, then we exit as the signal would have.
        try (Signals signals = Signals.install(kind -> {
            synchronized (lines) {
                lines.flushPartial();
            }
            finish();
            System.exit(kind.exitStatus());
        }, err::println)) {
            pump(System.in, out, lines);
        }
        return 0;
    }

    private int runCommand(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            err.println("sqs-appender: cannot run " + command.get(0) + ": " + e.getMessage());
            return 127; // as a shell says "command not found"
        }
        Thread stdout = pumpThread(process.getInputStream(), out, StandardStream.STDOUT);
        Thread stderr = pumpThread(process.getErrorStream(), err, StandardStream.STDERR);
        int status;
        try (Signals signals = Signals.install(kind -> pass(kind, process), err::println)) {
            status = waitForEnd(process, stdout, stderr);
        }
        return status;
    }

    /** Waits for the command, then for its output to end; the command's exit status. */
    private int waitForEnd(Process process, Thread stdout, Thread stderr) {
        boolean interrupted = false;
        int status;
        while (true) {
            try {
                status = process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // nobody interrupts main here; keep waiting for the command, as a shell does
            }
        }
        try {
            // Its output ends with it, unless a process it started in the background still holds
            // the pipes: then not past shutdownTimeoutMs.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdownTimeoutMs());
            for (Thread reader : List.of(stdout, stderr)) {
                reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            if (stdout.isAlive() || stderr.isAlive()) {
                err.println("sqs-appender: the command ended but a process it started still holds its output open; "
                        + "not waiting for it (lines it prints from now on are not shipped)");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return status;
    }

    /** Passes {@code kind} on to the command: SIGTERM as it is, SIGINT with {@code kill -INT} (SIGTERM if that fails). */
    private void pass(Signals.Kind kind, Process process) {
        if (!process.isAlive()) {
            return;
        }
        if (kind == Signals.Kind.INT) {
            try {
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (kill.waitFor() == 0) {
                    return;
                }
            } catch (IOException e) {
                // no kill(1) here: SIGTERM below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the pipes we still read
    }

    private Thread pumpThread(InputStream from, PrintStream to, StandardStream stream) {
        LineSplitter lines = splitter(stream, stream.loggerName() + " reader");
        // Not named sqs-appender-*: the engine never makes its own threads wait, and these are the
        // application's, which overflowPolicy=block is for.
        Thread t = new Thread(() -> pump(from, to, lines), "sqs-cli-" + stream.loggerName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    private LineSplitter splitter(StandardStream stream, String thread) {
        return new LineSplitter(charset,
                line -> pipeline.append(line, new Line(stream, line, thread, System.currentTimeMillis()), accessor));
    }

    /** Copies {@code from} to {@code to} byte for byte until its end, shipping each line. */
    private static void pump(InputStream from, PrintStream to, LineSplitter lines) {
        byte[] buffer = new byte[8_192];
        try {
            int n;
            while ((n = from.read(buffer)) > 0) {
                synchronized (lines) { // a signal may flush the partial line from another thread
                    lines.write(buffer, 0, n); // before the copy: what was copied is already in a line
                }
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the command's end of the pipe closed: what was read is shipped below
        }
        synchronized (lines) {
            lines.flushPartial();
        }
    }

    /** Delivers what is buffered within shutdownTimeoutMs, once; a summary on stderr if anything was dropped. Any thread. */
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
