package io.github.sqsappender.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} class in a child JVM, as an application that exits on its own would run:
 * real JVM shutdown, real shutdown hooks. Credentials and region are dummies that never reach
 * AWS; instance-metadata lookups are disabled. The child's output goes to a log file under
 * {@code target/} for diagnosis.
 */
public final class ChildJvm {

    /** The outcome of one child run. */
    public record Result(int exitCode, String output, long wallMillis, long endedAtMillis) {

        /** The value the child printed as {@code key=value} on a line of its own, or null. */
        public String printed(String key) {
            for (String line : output.split("\\R")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            return null;
        }
    }

    private final List<String> classpath = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();

    private ChildJvm(String classpath) {
        this.classpath.add(classpath);
    }

    /** A child on this JVM's own class path (the test class path). */
    public static ChildJvm onTestClasspath() {
        return new ChildJvm(System.getProperty("java.class.path"));
    }

    /** A child on exactly {@code classpath} (path-separator separated). */
    public static ChildJvm onClasspath(String classpath) {
        return new ChildJvm(classpath);
    }

    /** Appends jars or directories to the child's class path. */
    public ChildJvm withClasspath(Path... entries) {
        for (Path entry : entries) {
            classpath.add(entry.toAbsolutePath().toString());
        }
        return this;
    }

    /** Adds JVM options ({@code -Dkey=value}, {@code --add-opens ...}). */
    public ChildJvm withJvmArgs(String... args) {
        jvmArgs.addAll(List.of(args));
        return this;
    }

    /**
     * Runs {@code mainClass} and waits for it to end, at most {@code timeoutSeconds}; a child still
     * running then is killed and an {@link AssertionError} names its log file.
     */
    public Result run(String logName, int timeoutSeconds, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.addAll(List.of("-Daws.accessKeyId=test", "-Daws.secretAccessKey=test", "-Daws.region=us-east-1",
                "-Daws.disableEc2Metadata=true"));
        // A child lives seconds: the C2 compiler would spend a quarter of its CPU on code it barely
        // runs (measured on the exit and capture suites: 113 s of CPU without it, 85 with).
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmArgs);
        command.add(mainClass);
        command.addAll(List.of(args));
        Path log = Paths.get("target", logName + ".log");
        Files.createDirectories(log.getParent());
        long started = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            throw new AssertionError("child JVM " + mainClass + " did not exit within " + timeoutSeconds
                    + " s; see " + log.toAbsolutePath());
        }
        long endedAt = System.currentTimeMillis();
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return new Result(child.exitValue(), Files.readString(log, StandardCharsets.UTF_8), wall, endedAt);
    }
}
