package io.github.sqsappender.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The command's stdout and stderr as two named pipes (FIFOs) instead of the JDK's pipes. When a
 * process ends, the JDK reads what its pipes hold at that moment and closes them, so whatever a
 * process the command left running in the background writes afterwards would be lost — not
 * shipped, not even copied to the console — where a shell would show it. A named pipe is read
 * until every process holding it has closed it, as a shell's pipe is.
 *
 * <p>{@link #create} makes both in a private temporary directory with {@code mkfifo}; where that
 * is not possible (no {@code mkfifo}: not a Unix), it returns null and the JDK's pipes are used.
 * A reader opens its pipe ({@link #openStdout}, {@link #openStderr}) before the command starts:
 * the open waits until the command's side is open too. Main thread, except the opens (the reader
 * threads).
 */
final class NamedPipes implements AutoCloseable {

    private final Path directory;
    private final Path stdout;
    private final Path stderr;

    private NamedPipes(Path directory) {
        this.directory = directory;
        this.stdout = directory.resolve("stdout");
        this.stderr = directory.resolve("stderr");
    }

    /** Two named pipes, or null when this system cannot make them. */
    static NamedPipes create() {
        Path directory = null;
        try {
            directory = Files.createTempDirectory("sqs-appender-cli-"); // owner-only on Unix
            NamedPipes pipes = new NamedPipes(directory);
            Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", pipes.stdout.toString(), pipes.stderr.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0 && isFifo(pipes.stdout) && isFifo(pipes.stderr)) {
                return pipes;
            }
            mkfifo.destroyForcibly();
        } catch (IOException | RuntimeException e) {
            // no mkfifo here: the JDK's pipes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (directory != null) {
            new NamedPipes(directory).close();
        }
        return null;
    }

    /**
     * True when {@code path} is a named pipe — what the JDK calls "other" (neither a file, a
     * directory nor a link). A {@code mkfifo} that reports success without making one (Cygwin's
     * or MSYS2's on a Windows {@code PATH}, which make a special file) does not count.
     */
    private static boolean isFifo(Path path) throws IOException {
        return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther();
    }

    /** Where the command writes its stdout. */
    java.io.File stdoutFile() {
        return stdout.toFile();
    }

    /** Where the command writes its stderr. */
    java.io.File stderrFile() {
        return stderr.toFile();
    }

    /** Opens the stdout pipe for reading; waits until the command's side is open. Reader thread. */
    InputStream openStdout() throws IOException {
        return new FileInputStream(stdout.toFile());
    }

    /** Opens the stderr pipe for reading; waits until the command's side is open. Reader thread. */
    InputStream openStderr() throws IOException {
        return new FileInputStream(stderr.toFile());
    }

    /**
     * Opens and closes each pipe for reading and writing, so whichever side waits in its open goes
     * on: a reader, when the command could not be started (it then reads the end of its input); the
     * command's side, when a reader could not open its pipe. Does not wait itself: Linux opens a
     * named pipe for reading and writing without a peer (POSIX leaves it open; where it waits, the
     * other side's open is what ends it). Any thread.
     */
    void releaseWaiters() {
        for (Path pipe : new Path[] {stdout, stderr}) {
            try (RandomAccessFile unblock = new RandomAccessFile(pipe.toFile(), "rw")) {
                // opening is all it takes
            } catch (IOException | RuntimeException e) {
                // already gone: nobody waits on it
            }
        }
    }

    /** Removes the pipes and their directory; open ends stay usable. Idempotent. */
    @Override
    public void close() {
        for (Path path : new Path[] {stdout, stderr, directory}) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException | RuntimeException e) {
                // a temporary directory the system cleans up
            }
        }
    }
}
