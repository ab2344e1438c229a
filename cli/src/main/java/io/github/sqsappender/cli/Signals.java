package io.github.sqsappender.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SIGTERM, SIGINT and SIGHUP handled by the command instead of ending the JVM: while installed, each such
 * signal runs the given action (on a thread the JVM starts for it) and the JVM goes on, so the
 * command decides when to exit and with which status. {@link #close} puts the JVM's handlers back.
 * A signal the process ignores (SIGHUP under {@code nohup}, SIGINT in a background job of a script)
 * stays ignored: the JVM does not install a handler for it.
 *
 * <p>A JVM's own shutdown would exit with 128 + the signal's number whatever the command wanted,
 * and would not say which signal it was; hence {@code sun.misc.Signal}, which every JDK since 1.2
 * keeps in {@code jdk.unsupported} for exactly this.
 */
final class Signals implements AutoCloseable {

    /** A signal this class handles: its name and number (POSIX, the same on Linux and macOS). */
    enum Kind {
        TERM(15), INT(2), HUP(1);

        final int number;

        Kind(int number) {
            this.number = number;
        }

        /** The exit status of a process that a signal of this kind ended, as shells report it. */
        int exitStatus() {
            return 128 + number;
        }

        /** True for the signals a terminal sends to its whole foreground process group: Ctrl-C's, and a hang-up's. */
        boolean terminalSendsItToTheGroup() {
            return this != TERM;
        }
    }

    /** Windows: no SIGHUP, and the console itself sends Ctrl-C to every process attached to it. */
    static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    /** Whether this process had a controlling terminal when the handlers were installed. */
    private static volatile boolean hadTerminal;

    private Signals() {
    }

    /**
     * Installs {@code action} for SIGTERM, SIGINT and SIGHUP. A signal the JVM does not let us handle (for
     * one, under {@code -Xrs}) keeps its default and is reported through {@code unavailable}. Main
     * thread; {@code action} runs on the JVM's signal dispatch threads, one per signal received.
     */
    static Signals install(Consumer<Kind> action, Consumer<String> unavailable) {
        hadTerminal = ownStat().map(stat -> !hasNoTerminal(stat)).orElse(false);
        Signals signals = new Signals();
        for (Kind kind : Kind.values()) {
            if (kind == Kind.HUP && WINDOWS) {
                continue; // Windows has no SIGHUP: nothing to report
            }
            try {
                Signal signal = new Signal(kind.name());
                signals.previous.put(signal, Signal.handle(signal, s -> action.accept(kind)));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                unavailable.accept("SIG" + kind.name() + " cannot be handled here (" + e.getMessage()
                        + "): it ends this JVM without passing it on");
            }
        }
        return signals;
    }

    /**
     * True when {@code kind} most likely came from the terminal, which has then sent it to the
     * command too; false when it was sent to this process alone, so it is to be passed on. Only for
     * a process one of whose standard streams is a terminal (a process whose three streams are
     * pipes — a service, a container, a test — is not what someone at a terminal runs):
     * <ul>
     * <li>SIGINT: this process is in the terminal's foreground process group, to which Ctrl-C
     *     sends it — the command included;</li>
     * <li>SIGHUP: the terminal has hung up ({@link #hungUp}). The kernel detaches a hung-up
     *     terminal from its session before the hang-up's SIGHUP reaches the foreground group, so
     *     this process then has no controlling terminal any more; a SIGHUP while it still has one
     *     was sent by someone to this process alone.</li>
     * </ul>
     * Either way the terminal's signal reached the command only if the command is in this
     * process's group: one that moved to a group of its own (GNU {@code timeout} does) had none.
     * SIGTERM: always false. Linux ({@code /proc}); on Windows, true for SIGINT (the console sends
     * Ctrl-C to every process attached to it); false elsewhere. Any thread.
     */
    static boolean cameFromTheTerminal(Kind kind, long commandPid) {
        if (WINDOWS && kind == Kind.INT) {
            return true; // the console's Ctrl-C reached every process attached to it, the command included
        }
        if (!kind.terminalSendsItToTheGroup() || !(isTerminal(0) || isTerminal(1) || isTerminal(2))) {
            return false;
        }
        return ownStat().map(stat -> (kind == Kind.HUP
                ? hungUp(hadTerminal, stat, ProcessHandle.current().pid())
                : isForeground(stat)) && sameGroup(stat, stat(commandPid))).orElse(false);
    }

    /**
     * Of two {@code /proc/PID/stat} lines: true when both processes are in one process group, or
     * when the second could not be read (a command that already ended: as if it were).
     */
    static boolean sameGroup(String stat, java.util.Optional<String> otherStat) {
        return otherStat.map(other -> {
            String[] a = fieldsAfterName(stat);
            String[] b = fieldsAfterName(other);
            return a.length > 2 && b.length > 2 && a[2].equals(b[2]);
        }).orElse(true);
    }

    private static java.util.Optional<String> stat(long pid) {
        try {
            return java.util.Optional.of(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat")));
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Of this process's {@code /proc/self/stat} line at a SIGHUP: true when that SIGHUP is the
     * terminal's hang-up, which the foreground group (the command) gets too — it had a terminal at
     * start and has none now — unless this process leads the session: the kernel sends a hang-up's
     * SIGHUP to the session leader alone (the group gets one only when the leader exits), so then
     * the command has not had it.
     */
    static boolean hungUp(boolean hadTerminal, String stat, long pid) {
        String[] f = fieldsAfterName(stat);
        boolean sessionLeader = f.length > 3 && f[3].equals(Long.toString(pid));
        return hadTerminal && hasNoTerminal(stat) && !sessionLeader;
    }

    private static java.util.Optional<String> ownStat() {
        return stat(ProcessHandle.current().pid());
    }

    /** True when this process's standard stream {@code fd} (0, 1, 2) is a terminal; false if closed or unknown. Linux. */
    static boolean isTerminal(int fd) {
        try {
            return isTerminal(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString());
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * True when this process's file descriptor {@code fd} is a pipe or a socket, where a failed write
     * means the reader is gone; false if it is not, or unknown (not Linux). Any thread.
     */
    static boolean isPipeOrSocket(int fd) {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("pipe:") || target.startsWith("socket:");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Of a {@code /proc/self/fd/N} link's target: true for a terminal device. */
    static boolean isTerminal(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    /** Of a {@code /proc/PID/stat} line: true when it has no controlling terminal ({@code tty_nr} 0). */
    static boolean hasNoTerminal(String stat) {
        String[] f = fieldsAfterName(stat);
        return f.length > 4 && f[4].equals("0");
    }

    private static String[] fieldsAfterName(String stat) {
        // state ppid pgrp session tty_nr tpgid ...; the name, in parentheses, may itself hold spaces and parentheses
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /**
     * Of a {@code /proc/PID/stat} line: true when it has a controlling terminal ({@code tty_nr}
     * not 0) whose foreground group ({@code tpgid}) is its own ({@code pgrp}). The command name,
     * in parentheses, may itself hold spaces and parentheses: the fields are counted after the last {@code ')'}.
     */
    static boolean isForeground(String stat) {
        String[] f = fieldsAfterName(stat);
        return f.length > 5 && !f[4].equals("0") && f[5].equals(f[2]);
    }

    /** Puts back the handlers that were there before {@link #install}. Main thread. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
