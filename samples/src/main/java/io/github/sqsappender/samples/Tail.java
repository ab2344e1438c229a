package io.github.sqsappender.samples;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a queue fast: several receivers long-poll {@code ReceiveMessage} (10 messages each) and
 * delete what they got with {@code DeleteMessageBatch}. Stops after {@code count} messages, after
 * the queue has stayed empty for {@code idle}, or never ({@code follow}).
 *
 * <pre>
 * tail --queue-url URL [--region R] [--endpoint URL] [--receivers 4] [--follow]
 *      [--count N] [--idle SECONDS] [--no-delete] [--stats] [--quiet]
 * </pre>
 */
public final class Tail implements AutoCloseable {

    /** Called for every received message, on a receiver thread. */
    public interface Listener {
        void onMessage(Message message, long receivedAtMillis);
    }

    /** What a run did. */
    public record Result(long received, long deleted, Duration elapsed) {
        public double perSecond() {
            return received / Math.max(0.001, elapsed.toNanos() / 1e9);
        }
    }

    private final SqsAsyncClient client;
    private final boolean ownsClient;
    private final String queueUrl;
    private final int receivers;
    private final boolean delete;
    private final int waitSeconds;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong lastMessageAt = new AtomicLong(System.nanoTime());
    private volatile boolean stopping;

    public Tail(SqsAsyncClient client, String queueUrl, int receivers, boolean delete, int waitSeconds) {
        this(client, false, queueUrl, receivers, delete, waitSeconds);
    }

    private Tail(SqsAsyncClient client, boolean ownsClient, String queueUrl, int receivers, boolean delete, int waitSeconds) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.queueUrl = queueUrl;
        this.receivers = receivers;
        this.delete = delete;
        this.waitSeconds = waitSeconds;
    }

    /** Builds a client from the default credential chain (or dummy keys for a local endpoint). */
    public static SqsAsyncClient client(String queueUrl, String region, String endpoint) {
        SqsAsyncClientBuilder builder = SqsAsyncClient.builder().httpClientBuilder(NettyNioAsyncHttpClient.builder());
        URI url = URI.create(queueUrl);
        String effectiveEndpoint = endpoint;
        if (effectiveEndpoint == null && !url.getHost().contains("amazonaws.com")) {
            effectiveEndpoint = url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        }
        if (effectiveEndpoint != null) {
            builder.endpointOverride(URI.create(effectiveEndpoint));
            if (isLoopback(URI.create(effectiveEndpoint))) {
                builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            }
        }
        String effectiveRegion = region;
        if (effectiveRegion == null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("sqs\\.([a-z0-9-]+)\\.amazonaws\\.com").matcher(url.getHost());
            effectiveRegion = m.find() ? m.group(1) : (effectiveEndpoint != null ? "us-east-1" : null);
        }
        if (effectiveRegion != null) {
            builder.region(Region.of(effectiveRegion));
        }
        return builder.build();
    }

    private static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    /**
     * Receives until {@code count} messages (0: no limit) or until nothing arrived for
     * {@code idle} (null: never). Blocks the calling thread; {@link #stop()} ends it early.
     */
    public Result run(long count, Duration idle, Listener listener, PrintStream stats) throws InterruptedException {
        long start = System.nanoTime();
        lastMessageAt.set(start);
        CountDownLatch done = new CountDownLatch(receivers);
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<CompletableFuture<?>> deletions = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < receivers; i++) {
            Thread t = new Thread(() -> {
                try {
                    receiveLoop(count, idle, listener, deletions);
                } finally {
                    done.countDown();
                }
            }, "tail-receiver-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long lastStatsAt = System.nanoTime();
        long lastStatsCount = 0;
        while (!done.await(stats != null ? 1 : 60, TimeUnit.SECONDS)) {
            if (stats != null) {
                long now = System.nanoTime();
                long total = received.get();
                double rate = (total - lastStatsCount) / ((now - lastStatsAt) / 1e9);
                stats.printf("received %,d (%,.0f msg/s), queue depth ~%s%n", total, rate, approximateDepth());
                lastStatsAt = now;
                lastStatsCount = total;
            }
        }
        for (CompletableFuture<?> deletion : deletions) {
            deletion.join();
        }
        return new Result(received.get(), deleted.get(), Duration.ofNanos(System.nanoTime() - start));
    }

    private void receiveLoop(long count, Duration idle, Listener listener, ConcurrentLinkedQueue<CompletableFuture<?>> deletions) {
        while (!stopping && (count <= 0 || received.get() < count)) {
            if (idle != null && System.nanoTime() - lastMessageAt.get() > idle.toNanos()) {
                return;
            }
            ReceiveMessageResponse response;
            try {
                response = client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(waitSeconds).messageAttributeNames("All")).join();
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                System.err.println("tail: receive failed: " + e.getMessage());
                pauseAfterFailure();
                continue;
            }
            List<Message> messages = response.messages();
            if (messages.isEmpty()) {
                continue;
            }
            long now = System.currentTimeMillis();
            lastMessageAt.set(System.nanoTime());
            received.addAndGet(messages.size());
            for (Message message : messages) {
                listener.onMessage(message, now);
            }
            if (delete) {
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
                for (int i = 0; i < messages.size(); i++) {
                    entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                            .receiptHandle(messages.get(i).receiptHandle()).build());
                }
                deletions.add(client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                        .thenAccept(r -> deleted.addAndGet(r.successful().size())));
            }
        }
    }

    private void pauseAfterFailure() {
        try {
            Thread.sleep(1_000); // rate-limits retries against an unreachable queue; not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** The queue's approximate visible + in-flight message count, or "?" if it cannot be read. */
    public String approximateDepth() {
        try {
            Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join().attributes();
            return String.valueOf(Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                    + Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")));
        } catch (RuntimeException e) {
            return "?";
        }
    }

    public long received() {
        return received.get();
    }

    /** Ends {@link #run} after the receivers' current long polls. Any thread. */
    public void stop() {
        stopping = true;
    }

    @Override
    public void close() {
        stop();
        if (ownsClient) {
            client.close();
        }
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        String queueUrl = a.value("--queue-url", null);
        if (queueUrl == null || a.flag("--help")) {
            System.err.println("usage: tail --queue-url URL [--region R] [--endpoint URL] [--receivers 4] [--follow]\n"
                    + "            [--count N] [--idle SECONDS] [--no-delete] [--stats] [--quiet]");
            System.exit(queueUrl == null ? 2 : 0);
        }
        boolean follow = a.flag("--follow");
        long count = Long.parseLong(a.value("--count", "0"));
        Duration idle = follow ? null : Duration.ofSeconds(Long.parseLong(a.value("--idle", "5")));
        boolean quiet = a.flag("--quiet");
        SqsAsyncClient client = client(queueUrl, a.value("--region", null), a.value("--endpoint", null));
        try (Tail tail = new Tail(client, true, queueUrl, Integer.parseInt(a.value("--receivers", "4")),
                !a.flag("--no-delete"), follow ? 20 : 1)) {
            Result result = tail.run(count, idle, (m, at) -> {
                if (!quiet) {
                    String body = m.body();
                    System.out.println(body.endsWith("\n") ? body.substring(0, body.length() - 1) : body);
                }
            }, a.flag("--stats") ? System.err : null);
            System.err.printf("tail: %,d messages in %.1f s (%,.0f msg/s), %,d deleted%n", result.received(),
                    result.elapsed().toNanos() / 1e9, result.perSecond(), result.deleted());
        }
    }
}
