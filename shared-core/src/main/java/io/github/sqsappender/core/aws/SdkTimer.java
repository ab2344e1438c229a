package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.jvm.ThreadJoins;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The thread one SDK client schedules its call timeouts on, {@code sqs-appender-OWNER-timer-1},
 * started at the first call and ended by {@link #close}. The SDK's own scheduler, which its client's
 * close only shuts down, keeps the pending timeout of a call still in flight (one to a queue that
 * does not answer: up to the 30 s call timeout) and, with its thread, the context class loader it
 * was started under: a web application's, after the application was undeployed.
 */
final class SdkTimer implements AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    SdkTimer(String owner) {
        ThreadFactory named = SqsClients.namedThreads(owner + "-timer");
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = named.newThread(runnable);
            threads.add(t);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // a call that ends cancels its timeout: none waits out its delay
    }

    /** For {@code ClientOverrideConfiguration.Builder#scheduledExecutorService}, which leaves it to us to close. */
    ScheduledExecutorService executor() {
        return executor;
    }

    /**
     * Fires the timeouts still pending at once, on the calling thread (each aborts a call its
     * client's close left in flight, as it would have at its time), then ends the thread. After the
     * client's close. Any thread.
     */
    @Override
    public void close() {
        // Taken out and run before the shutdown: a scheduled task run after it is only cancelled
        // (and the queue's drainTo takes only those already due).
        for (Runnable timeout : executor.getQueue().toArray(new Runnable[0])) {
            if (executor.remove(timeout)) {
                try {
                    timeout.run();
                } catch (RuntimeException ignored) {
                    // the call is being torn down anyway
                }
            }
        }
        executor.shutdownNow();
        for (Thread t : threads) {
            ThreadJoins.joinQuietly(t, 1_000);
        }
    }
}
