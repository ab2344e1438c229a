package io.github.sqsappender.core.jvm;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One named daemon thread that runs tasks one at a time, in the order given, owned by a pipeline:
 * the pack thread ({@code sqs-appender-NAME-pack}) and the send thread
 * ({@code sqs-appender-NAME-send}). The thread starts with the first task, so a pipeline that never
 * needs it never has it, and {@link #close} returns only once it has ended. Any thread may call
 * {@link #execute}; the owner calls {@link #close}.
 */
public final class WorkerThread implements Executor {

    private final ThreadPoolExecutor executor;
    private volatile Thread thread;

    /** @param name the thread's full name (starting with {@link FeedbackGuard#THREAD_PREFIX}) */
    public WorkerThread(String name) {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /**
     * Runs {@code task} on the thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException once closed
     */
    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    /**
     * Stops the thread and waits for it to end (a task already running finishes first, within
     * {@code millis}). Idempotent.
     *
     * @return the tasks that never ran: the owner decides what becomes of them
     */
    public List<Runnable> close(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Runnable> never = executor.shutdownNow();
        try {
            executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Thread t = thread;
        if (t != null) { // the executor counts as terminated a moment before its thread ends
            ThreadJoins.joinQuietly(t, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return never;
    }
}
