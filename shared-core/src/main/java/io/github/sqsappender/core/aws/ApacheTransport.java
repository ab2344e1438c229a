package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code httpClient=apache}: the SDK's blocking Apache client behind the asynchronous interface
 * ({@link BlockingAsyncHttpClient}). Every request in flight holds one worker thread; the pool has
 * room for {@code maxInFlight} SQS requests plus the S3 writes and lookups, and idle workers end
 * after 30 s. Work is never refused: the dispatcher already bounds what is in flight.
 */
final class ApacheTransport implements HttpTransport {

    /** S3 uploads (4), fallback writes (2), a queue lookup and one spare. */
    private static final int NON_SQS_REQUESTS = 8;

    private final ThreadPoolExecutor workers;

    ApacheTransport(SqsAppenderConfig config, String threadSuffix) {
        int threads = config.maxInFlight() + NON_SQS_REQUESTS;
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                SqsClients.namedThreads(threadSuffix));
        this.workers.allowCoreThreadTimeOut(true);
    }

    @Override
    public SdkAsyncHttpClient.Builder<?> httpClient(int maxConcurrency) {
        return new BlockingAsyncHttpClient.Builder(() -> ApacheHttpClient.builder()
                .maxConnections(maxConcurrency)
                .connectionTimeout(Duration.ofSeconds(10))
                .connectionAcquisitionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(30))
                .build(), workers);
    }

    @Override
    public void close() {
        workers.shutdown(); // the clients are closed: their connections are gone, nothing is left to run
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
