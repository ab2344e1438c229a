package io.github.sqsappender.core.jvm;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline's compression thread ({@code sqs-appender-NAME-gzip}, daemon): gzip'ed packs are
 * deflated here, so the dispatcher thread goes on assembling and sending meanwhile. The thread
 * starts with the first job (a pipeline that never gzip's never has one); jobs run one at a time,
 * in the order given. Any thread may call
 * {@link #execute}; the pipeline's lifecycle thread calls {@link #close}.
 */
public final class CompressionThread implements Executor, AutoCloseable {

    private final ThreadPoolExecutor executor;

    public CompressionThread(String appenderName) {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), job -> {
            Thread t = new Thread(job, FeedbackGuard.THREAD_PREFIX + appenderName + "-gzip");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code job} on the compression thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException once closed
     */
    @Override
    public void execute(Runnable job) {
        executor.execute(job);
    }

    /**
     * Stops the thread. Called after the dispatcher finished, so normally nothing waits; a job
     * still queued (a dispatcher that overran its stop) runs here instead, so whoever waits for it
     * is not left waiting. Idempotent.
     */
    @Override
    public void close() {
        for (Runnable never : executor.shutdownNow()) {
            never.run();
        }
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS); // one deflate of at most one pack
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
