package io.github.sqsappender.core.testing;

import java.util.function.IntConsumer;

/**
 * For child JVMs: an application's own shutdown hook that logs, as a closing Spring context or
 * Spark's hook does — after 50 ms of other work, it logs {@code events} events through
 * {@code log}. It runs alongside the appender's exit hook, in no order.
 */
public final class LoggingShutdownHook {

    private LoggingShutdownHook() {
    }

    /** Registers the hook; with {@code events} 0 it registers nothing. */
    public static void register(int events, IntConsumer log) {
        register(events, 50, log);
    }

    /**
     * As {@link #register(int, IntConsumer)}, with {@code workMillis} of other work before it logs:
     * past the appender's quiet interval, as a Spring context whose beans take a while to close.
     */
    public static void register(int events, long workMillis, IntConsumer log) {
        if (events <= 0) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(workMillis); // the hook's own work (closing a context), not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < events; i++) {
                log.accept(i);
            }
        }, "application-exit-hook"));
    }
}
