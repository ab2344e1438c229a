package io.github.sqsappender.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SIGTERM and SIGINT handled by the command instead of ending the JVM: while installed, each such
 * signal runs the given action (on a thread the JVM starts for it) and the JVM goes on, so the
 * command decides when to exit and with which status. {@link #close} puts the JVM's handlers back.
 *
 * <p>A JVM's own shutdown would exit with 128 + the signal's number whatever the command wanted,
 * and would not say which signal it was; hence {@code sun.misc.Signal}, which every JDK since 1.2
 * keeps in {@code jdk.unsupported} for exactly this.
 */
final class Signals implements AutoCloseable {

    /** A signal this class handles: its name and number (POSIX, the same on Linux and macOS). */
    enum Kind {
        TERM(15), INT(2);

        final int number;

        Kind(int number) {
            this.number = number;
        }

        /** The exit status of a process that a signal of this kind ended, as shells report it. */
        int exitStatus() {
            return 128 + number;
        }
    }

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private Signals() {
    }

    /**
     * Installs {@code action} for SIGTERM and SIGINT. A signal the JVM does not let us handle (for
     * one, under {@code -Xrs}) keeps its default and is reported through {@code unavailable}. Main
     * thread; {@code action} runs on the JVM's signal dispatch threads, one per signal received.
     */
    static Signals install(Consumer<Kind> action, Consumer<String> unavailable) {
        Signals signals = new Signals();
        for (Kind kind : Kind.values()) {
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

    /** Puts back the handlers that were there before {@link #install}. Main thread. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
