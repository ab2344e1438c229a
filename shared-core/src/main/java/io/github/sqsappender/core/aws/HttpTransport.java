package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * What the configured {@code httpClient} needs beyond each SDK client's own HTTP client: the
 * threads they share (Netty's event loops, the blocking client's worker threads). Each SDK client
 * gets a builder from {@link #httpClient}, so the SDK builds and closes its HTTP client with it;
 * the transport is closed after every client using it.
 *
 * <p>Each kind lives in its own class, so only the chosen client's classes are ever loaded: a
 * missing optional dependency is reported by {@link SqsClients#checkAvailable}, not as a
 * {@code NoClassDefFoundError}.
 */
interface HttpTransport extends AutoCloseable {

    /**
     * A transport for {@code config.httpClient()}; its threads are named {@code sqs-appender-OWNER-io-N}
     * (Netty's event loops) or {@code sqs-appender-OWNER-http-N} (the blocking client's workers).
     * Dispatcher thread.
     */
    static HttpTransport create(SqsAppenderConfig config, String owner) {
        switch (config.httpClient()) {
            case CRT:
                return new CrtTransport();
            case APACHE:
                return new ApacheTransport(config, owner + "-http");
            case NETTY:
            default:
                return new NettyTransport(owner + "-io");
        }
    }

    /** A builder for one SDK client's HTTP client, with at most {@code maxConcurrency} connections. */
    SdkAsyncHttpClient.Builder<?> httpClient(int maxConcurrency);

    /** Releases the shared threads; call after every client built from {@link #httpClient} is closed. */
    @Override
    void close();
}
