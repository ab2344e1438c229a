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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the command with its stdout and stderr piped ({@link NamedPipes} where possible, so that
 * what a process it left in the background prints is read too; stdin inherited), copies every byte to our own
 * stdout/stderr unchanged, and appends each line to the pipeline as an event of stream
 * {@code stdout}/{@code stderr}, body = the line as is. SIGTERM, SIGINT and SIGHUP are passed on to
 * the command as they are; when it ends, what is buffered is delivered within {@code shutdownTimeoutMs}
 * and the exit status is the command's. Without a command, the same for our own stdin (as stream
 * {@code stdout}) until its end or a signal, which reads on to the end (up to a quarter of
 * {@code shutdownTimeoutMs}), delivers what was read and exits 128 + the signal's number, all within
 * {@code shutdownTimeoutMs}. Main thread.
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
            // A printed line is no error report, whatever its stream: none uses the buffer's WARN/ERROR share.
            @Override public boolean isWarnOrMoreSevere(Line l) { return false; }
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
    /** Once the input has ended or a signal came: appends no longer wait for room (overflowPolicy=block). */
    private volatile boolean draining;
    private Process process; // guarded by this: the command, once started
    private Signals.Kind beforeStart; // guarded by this: a signal that came before the command started
    private int signalStatus; // guarded by this: 128 + n once a signal ended the input (no command)
    private long signalAtNanos; // guarded by this: when that signal came, 0 before
    private long commandEndedAtNanos; // guarded by this: when the command ended, 0 before
    /**
     * Counted down by each reader of the command's output at its end, and at once by a signal
     * that comes after the command ended: what the main thread waits on after the command.
     */
    private final CountDownLatch outputWait = new CountDownLatch(2);
    /** The least time the command's output is waited for after it ended, whatever {@code shutdownTimeoutMs}. */
    static final long MIN_OUTPUT_WAIT_MILLIS = 2_000;
    /** After that wait, or a signal that ended it, how long readers still copying are given. */
    static final long READER_GRACE_MILLIS = 500;
    private LineSplitter stdinLines; // without a command
    /** Held while the main thread feeds {@link #stdinLines}: a signal flushes its partial line under it. */
    private final ReentrantLock stdinLock = new ReentrantLock();
    /** Counted down when the main thread has read stdin to its end. */
    private final CountDownLatch stdinEnded = new CountDownLatch(1);
    private boolean reported; // guarded by this

    Shipper(SqsAppenderConfig config, SqsPipeline pipeline, PrintStream out, PrintStream err) {
        this.config = config;
        this.pipeline = pipeline;
        this.accessor = accessor(config);
        this.out = out;
        this.err = err;
    }

    /** Runs the command (or reads stdin), delivers, and returns the exit status. Signals are ours from start to end. */
    int run(List<String> command) {
        pipeline.start();
        pipeline.stopAtJvmExit(); // an exit we do not see coming (a signal we could not handle) still delivers
        if (command.isEmpty()) {
            stdinLines = splitter(StandardStream.STDOUT, "stdin");
        }
        try (Signals signals = Signals.install(command.isEmpty() ? this::endInput : this::passToCommand, err::println)) {
            int status = command.isEmpty() ? runStdin() : runCommand(command);
            draining = true;
            finish();
            report();
            synchronized (this) {
                return command.isEmpty() && signalStatus != 0 ? signalStatus : status;
            }
        }
    }

    private int runStdin() {
        pump(System.in, out, 1, stdinLines, stdinLock);
        stdinEnded.countDown();
        return 0;
    }

    /**
     * A signal without a command ends the input: what was read (a partial line too) is delivered,
     * then we exit as the signal would have, all within {@code shutdownTimeoutMs}. The program
     * writing into the pipe usually got the same signal (Ctrl-C and a hang-up reach the whole
     * pipeline) and is writing its last lines, a Python traceback for one: unless stdin is a
     * terminal, it is read on to its end for up to a quarter of that time first. Does nothing once
     * delivery has begun or after a first signal. Signal thread.
     */
    private void endInput(Signals.Kind kind) {
        long budget = config.shutdownTimeoutMs();
        synchronized (this) {
            if (finished) {
                return; // the input ended first: main exits with 0
            }
            if (signalAtNanos != 0) {
                return; // a second signal: the first one's thread ends the input, within its budget
            }
            signalStatus = kind.exitStatus(); // main, once it reaches the end of the input, exits with this
            signalAtNanos = System.nanoTime();
        }
        long grace = Signals.isTerminal(0) ? 0 : budget / 4;
        if (grace > 0) {
            err.println("sqs-appender: SIG" + kind.name() + ": reading standard input to its end (at most " + grace
                    + " ms more), then delivering what was read");
            try {
                if (stdinEnded.await(grace, TimeUnit.MILLISECONDS)) {
                    return; // main delivers, in what is left of the budget, and exits with signalStatus
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        draining = true; // lines no longer wait for room
        // The input goes on: deliver what was read and exit. The main thread holds the splitter while
        // a line waits for room (overflowPolicy=block, up to blockTimeoutMs): the partial line is
        // flushed before the stop if it lets go in time, else after it, when the stop has woken that
        // line (then counted as dropped).
        boolean flushed = flushPartialStdinLine(budget / 4);
        finish();
        if (!flushed) {
            flushPartialStdinLine(budget);
        }
        report();
        System.exit(kind.exitStatus());
    }

    /** Flushes the partial stdin line if the splitter is free within {@code waitMillis}; true if it was. */
    private boolean flushPartialStdinLine(long waitMillis) {
        try {
            if (!stdinLock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            stdinLines.flushPartial();
            return true;
        } finally {
            stdinLock.unlock();
        }
    }

    /** Passes a signal to the command, or keeps it for when the command has started. Signal thread. */
    private void passToCommand(Signals.Kind kind) {
        Process p;
        synchronized (this) {
            p = process;
            if (p == null) {
                beforeStart = kind;
                return;
            }
        }
        if (!p.isAlive()) {
            while (outputWait.getCount() > 0) { // the command is gone: stop waiting for what it left holding its output
                outputWait.countDown();
            }
            return;
        }
        pass(kind, p, false);
    }

    private int runCommand(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process started;
        Reader stdout;
        Reader stderr;
        try (NamedPipes pipes = NamedPipes.create()) {
            if (pipes != null) { // the readers wait in their opens until the command's sides are open
                builder.redirectOutput(pipes.stdoutFile()).redirectError(pipes.stderrFile());
                stdout = reader(pipes::openStdout, out, StandardStream.STDOUT, pipes::releaseWaiters);
                stderr = reader(pipes::openStderr, err, StandardStream.STDERR, pipes::releaseWaiters);
            } else {
                stdout = null;
                stderr = null;
            }
            try {
                started = builder.start();
            } catch (IOException | RuntimeException e) {
                if (pipes != null) {
                    pipes.releaseWaiters();
                }
                err.println("sqs-appender: cannot run " + command.get(0) + ": " + e.getMessage());
                return e instanceof IOException io ? cannotRunStatus(io) : 127;
            }
        }
        if (stdout == null) {
            stdout = reader(started::getInputStream, out, StandardStream.STDOUT);
            stderr = reader(started::getErrorStream, err, StandardStream.STDERR);
        }
        Signals.Kind pending;
        synchronized (this) {
            process = started; // from now on a signal is passed on at once (or not, if the terminal sent it)
            pending = beforeStart;
        }
        if (pending != null) {
            pass(pending, started, true); // the terminal's signal, if it was one, came before the command existed
        }
        return waitForEnd(started, stdout, stderr);
    }

    /**
     * A shell's status for a command it could not start: 126 when it was found but may not be run
     * (no execute permission, a directory), 127 when it was not found. The JDK says which only in
     * its message ({@code error=13, Permission denied}).
     */
    static int cannotRunStatus(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("error=13,") || message.contains("error=21,") ? 126 : 127;
    }

    /**
     * Waits for the command, then for its output to end: up to half of {@code shutdownTimeoutMs}
     * (at least {@link #MIN_OUTPUT_WAIT_MILLIS}), so that delivering what is buffered keeps the other
     * half; a signal ends that wait. The command's exit status.
     */
    private int waitForEnd(Process process, Reader stdout, Reader stderr) {
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
        long endedAt = System.nanoTime();
        synchronized (this) {
            commandEndedAtNanos = endedAt;
        }
        try {
            // What is left in the pipes is read (and, under overflowPolicy=block, waits for room);
            // in the wait's last part lines no longer wait, and a process the command started in
            // the background that still holds the pipes is not waited for.
            long wait = TimeUnit.MILLISECONDS.toNanos(Math.max(config.shutdownTimeoutMs() / 2, MIN_OUTPUT_WAIT_MILLIS));
            long mayWaitUntil = endedAt + wait - Math.min(TimeUnit.SECONDS.toNanos(1), wait / 2);
            if (!outputWait.await(Math.max(0, mayWaitUntil - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                draining = true;
                outputWait.await(Math.max(0, endedAt + wait - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            // A moment more for readers still copying what is in the pipes (a signal ends the wait
            // above at once, also when it ended the command itself a moment before).
            long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READER_GRACE_MILLIS);
            for (Reader reader : List.of(stdout, stderr)) {
                if (!reader.hasEnded()) {
                    reader.thread().join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(graceEnd - System.nanoTime())));
                }
            }
            if (!stdout.hasEnded() || !stderr.hasEnded()) {
                err.println("sqs-appender: the command ended but its output is still open (a process it started holds it?); "
                        + "not waiting for it: what comes from now on is not shipped");
                draining = true;
                for (Reader reader : List.of(stdout, stderr)) {
                    if (!reader.hasEnded()) {
                        reader.flushPartialLine(); // what it printed without a line end is shipped now
                    }
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return status;
    }

    /**
     * Passes {@code kind} on to the command: SIGTERM as it is, SIGINT and SIGHUP with
     * {@code kill -INT}/{@code kill -HUP} (SIGTERM if that fails) — unless the terminal sent it,
     * which has then sent it to the command too when the command is in our process group ({@link Signals#cameFromTheTerminal}),
     * unless it came before the command was started.
     */
    private void pass(Signals.Kind kind, Process process, boolean cameBeforeTheCommand) {
        if (!process.isAlive() || (!cameBeforeTheCommand && Signals.cameFromTheTerminal(kind, process.pid()))) {
            return;
        }
        if (kind != Signals.Kind.TERM) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + kind.name(), Long.toString(process.pid()))
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

    /** A thread copying one of the command's streams, and its partial line. */
    private record Reader(Thread thread, LineSplitter lines, ReentrantLock lock, java.util.concurrent.atomic.AtomicBoolean ended) {

        /** True once the reader has read its stream to the end (or could not open it). */
        boolean hasEnded() {
            return ended.get();
        }


        /**
         * Ships the partial line now, unless the reader holds it longer than a moment (a line
         * waiting for room): then it is shipped, or counted, when the reader lets go. Main thread.
         */
        void flushPartialLine() throws InterruptedException {
            if (lock.tryLock(100, TimeUnit.MILLISECONDS)) {
                try {
                    lines.flushPartial();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** What a reader reads: opened on its own thread (a named pipe's open waits for the writer). */
    private interface Source {
        InputStream open() throws IOException;
    }

    private Reader reader(Source source, PrintStream to, StandardStream stream) {
        return reader(source, to, stream, () -> { });
    }

    /** A reader of {@code source} on its own thread; {@code openFailed} runs if it cannot be opened. */
    private Reader reader(Source source, PrintStream to, StandardStream stream, Runnable openFailed) {
        LineSplitter lines = splitter(stream, stream.loggerName() + " reader");
        ReentrantLock lock = new ReentrantLock();
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        // Not named sqs-appender-*: the engine never makes its own threads wait, and these are the
        // application's, which overflowPolicy=block is for.
        Thread t = new Thread(() -> {
            try {
                InputStream from;
                try {
                    from = source.open();
                } catch (IOException | RuntimeException | Error e) {
                    openFailed.run(); // the command's side must not wait for this reader in its open
                    err.println("sqs-appender: cannot read the command's " + stream.loggerName() + ": " + e);
                    return;
                }
                try (from) {
                    pump(from, to, stream == StandardStream.STDOUT ? 1 : 2, lines, lock);
                } catch (IOException e) {
                    // closing what has ended
                }
            } finally {
                ended.set(true);
                outputWait.countDown();
            }
        }, "sqs-cli-" + stream.loggerName());
        t.setDaemon(true);
        t.start();
        return new Reader(t, lines, lock, ended);
    }

    private LineSplitter splitter(StandardStream stream, String thread) {
        return new LineSplitter(charset, line -> {
            Line event = new Line(stream, line, thread, System.currentTimeMillis());
            if (draining) {
                pipeline.appendCaptured(event, Line::text, accessor); // never waits for room
            } else {
                pipeline.append(line, event, accessor);
            }
        });
    }

    /**
     * Copies {@code from} to {@code to} byte for byte until its end, shipping each line; {@code lines}
     * under {@code lock}. When {@code to} is a pipe whose reader went away ({@code | head}), it stops
     * reading, so the caller closes {@code from} and the command's next write fails as it would
     * have without this tool in between (SIGPIPE): a pipeline ends as in a shell. What was read is
     * shipped. Any other write error (a full disk, a terminal gone) only costs the console copy:
     * the command goes on, and its lines are still shipped.
     *
     * @param consoleFd the file descriptor {@code to} writes to (1 or 2)
     */
    private static void pump(InputStream from, PrintStream to, int consoleFd, LineSplitter lines, ReentrantLock lock) {
        byte[] buffer = new byte[8_192];
        try {
            int n;
            while ((n = from.read(buffer)) > 0) {
                lock.lock(); // a signal may flush the partial line from another thread
                try {
                    lines.write(buffer, 0, n); // before the copy: what was copied is already in a line
                } finally {
                    lock.unlock();
                }
                to.write(buffer, 0, n);
                // checkError flushes; true once a write failed (the JVM ignores SIGPIPE: EPIPE is an error)
                if (to.checkError() && Signals.isPipeOrSocket(consoleFd)) {
                    break;
                }
            }
        } catch (IOException e) {
            // the command's end of the pipe closed: what was read is shipped below
        }
        lock.lock();
        try {
            lines.flushPartial();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delivers what is buffered, once: within shutdownTimeoutMs, or within what is left of it
     * since the command ended or, without a command, since a signal (at least half). Any thread.
     */
    private synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        long budget = config.shutdownTimeoutMs();
        long timeout = budget;
        long endingSince = signalAtNanos != 0 ? signalAtNanos : commandEndedAtNanos;
        if (endingSince != 0) {
            long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endingSince);
            timeout = Math.max(budget / 2, budget - spent);
        }
        pipeline.stop(Math.max(1, timeout));
    }

    /**
     * The final count on stderr if anything was dropped or sent to the fallback, once, after {@link #finish}: the
     * pipeline's own summary comes at its stop, and a partial line flushed after it (a signal that
     * found the splitter busy) is counted only here. Any thread.
     */
    private synchronized void report() {
        if (reported) {
            return;
        }
        reported = true;
        SqsAppenderMetrics m = pipeline.metrics();
        long toFallback = m.getEventsSentToFallback();
        if (m.getEventsDropped() > 0 || toFallback > 0) { // what did not reach the queue; the counts add up to the lines
            err.println("sqs-appender: in all " + m.getEventsAppended() + " lines, " + m.getEventsSent() + " sent, "
                    + (toFallback > 0 ? toFallback + " sent to the fallback, " : "") + m.getEventsDropped() + " dropped");
        }
    }
}
