package io.github.sqsappender.core.aws;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** {@code httpClient=netty}: two event-loop threads of the appender's own, shared by SQS and S3. */
final class NettyTransport implements HttpTransport {

    private final EventLoopGroup eventLoops;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    NettyTransport(String threadSuffix) {
        ThreadFactory named = SqsClients.namedThreads(threadSuffix);
        this.eventLoops = new NioEventLoopGroup(2, runnable -> {
            Thread t = named.newThread(runnable);
            threads.add(t);
            return t;
        });
    }

    @Override
    public SdkAsyncHttpClient.Builder<?> httpClient(int maxConcurrency) {
        return NettyNioAsyncHttpClient.builder()
                .maxConcurrency(maxConcurrency)
                .connectionAcquisitionTimeout(Duration.ofSeconds(10))
                .eventLoopGroup(SdkEventLoopGroup.create(eventLoops));
    }

    @Override
    public void close() {
        // A short quiet period: the SDK's own shutdown of a group it owns waits two seconds, but
        // with none at all Netty rejects (and logs) channel releases still being scheduled.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        eventLoops.shutdownGracefully(100, 1_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(2_000);
        // The group's termination completes just before its threads end: wait for them too, so a
        // closed client has left no thread behind.
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
