package io.github.sqsappender.samples;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import io.github.sqsappender.reader.CorruptMessageException;
import io.github.sqsappender.reader.SdkMessages;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a queue fast: several receivers long-poll {@code ReceiveMessage} (10 messages each),
 * decode each message into its log events with the reader (packed or not, gzip or not), and
 * delete what they got with {@code DeleteMessageBatch}. Stops after {@code count} events, after
 * the queue has stayed empty for {@code idle}, or never ({@code follow}). A message that cannot
 * be decoded is reported and left in the queue.
 *
 * <pre>
 * tail --queue-url URL [--region R] [--endpoint URL] [--s3-endpoint URL] [--receivers 4] [--follow]
 *      [--count N] [--idle SECONDS] [--no-delete] [--stats] [--quiet]
 * </pre>
 */
public final class Tail implements AutoCloseable {

    /** Called for every decoded message, on a receiver thread. */
    public interface Listener {
        void onMessage(Message message, List<String> events, long receivedAtMillis);
    }

    /** What a run did: messages received, events they held, messages deleted, undecodable ones. */
    public record Result(long received, long events, long deleted, long corrupt, Duration elapsed) {
        /** Messages per second. */
        public double perSecond() {
            return received / Math.max(0.001, elapsed.toNanos() / 1e9);
        }

        public double eventsPerSecond() {
            return events / Math.max(0.001, elapsed.toNanos() / 1e9);
        }
    }

    static final String USAGE = "usage: tail.sh --queue-url URL [options]\n"
            + "  Reads log events from an SQS queue (packed or not, gzip or not) and prints one per line.\n"
            + "  --queue-url URL   the queue (required)\n"
            + "  --region R        AWS region (default: from the URL, else the SDK's chain)\n"
            + "  --endpoint URL    endpoint override (ElasticMQ, LocalStack, VPC endpoint)\n"
            + "  --receivers N     concurrent long-polling receivers (default 4)\n"
            + "  --count N         stop after N events\n"
            + "  --idle SECONDS    stop after the queue stayed empty this long (default 5)\n"
            + "  --s3-endpoint URL S3 endpoint (path-style) for resolving offloaded events' pointers (local servers)\n"
            + "  --follow          never stop (Ctrl-C ends it)\n"
            + "  --no-delete       leave messages in the queue (peek)\n"
            + "  --stats           print messages/s, events/s and the queue depth every second (stderr)\n"
            + "  --quiet           do not print the events\n"
            + "  --help            this text\n";

    private final SqsAsyncClient client;
    private final boolean ownsClient;
    private final String queueUrl;
    private final int receivers;
    private final boolean delete;
    private final int waitSeconds;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong lastMessageAt = new AtomicLong(System.nanoTime());
    private final AtomicLong resolved = new AtomicLong();
    private volatile software.amazon.awssdk.services.s3.S3AsyncClient s3;
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
     * Receives until {@code count} events (0: no limit) or until nothing arrived for
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
        long lastMessages = 0;
        long lastEvents = 0;
        while (!done.await(stats != null ? 1 : 60, TimeUnit.SECONDS)) {
            if (stats != null) {
                long now = System.nanoTime();
                long messages = received.get();
                long decoded = events.get();
                double seconds = (now - lastStatsAt) / 1e9;
                stats.printf("received %,d messages (%,.0f msg/s), %,d events (%,.0f events/s), queue depth ~%s%n",
                        messages, (messages - lastMessages) / seconds, decoded, (decoded - lastEvents) / seconds,
                        approximateDepth());
                lastStatsAt = now;
                lastMessages = messages;
                lastEvents = decoded;
            }
        }
        for (CompletableFuture<?> deletion : deletions) {
            deletion.join(); // never fails: each deletion reports its own failure
        }
        return new Result(received.get(), events.get(), deleted.get(), corrupt.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private void receiveLoop(long count, Duration idle, Listener listener, ConcurrentLinkedQueue<CompletableFuture<?>> deletions) {
        while (!stopping && (count <= 0 || events.get() < count)) {
            if (idle != null && System.nanoTime() - lastMessageAt.get() > idle.toNanos()) {
                return;
            }
            ReceiveMessageResponse response;
            try {
                response = client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(waitSeconds).messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).join();
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
            List<Message> decoded = new ArrayList<>(messages.size());
            for (Message message : messages) {
                List<String> inMessage;
                try {
                    io.github.sqsappender.reader.S3Pointer pointer = s3 == null ? null
                            : io.github.sqsappender.reader.S3Pointer.ofOffloaded(message.body(),
                                    message.messageAttributes().keySet());
                    inMessage = pointer == null ? SdkMessages.events(message, true) : List.of(fetch(pointer));
                } catch (CorruptMessageException e) {
                    corrupt.incrementAndGet();
                    System.err.println("tail: " + e.getMessage() + " (left in the queue)");
                    continue;
                } catch (RuntimeException e) {
                    corrupt.incrementAndGet();
                    System.err.println("tail: message " + message.messageId() + " points to S3 but cannot be read: " + e
                            + " (left in the queue)");
                    continue;
                }
                decoded.add(message);
                events.addAndGet(inMessage.size());
                listener.onMessage(message, inMessage, now);
            }
            if (delete && !decoded.isEmpty()) {
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(decoded.size());
                for (int i = 0; i < decoded.size(); i++) {
                    entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                            .receiptHandle(decoded.get(i).receiptHandle()).build());
                }
                // A message not deleted comes back after its visibility timeout: said, not fatal.
                CompletableFuture<Void> deletion = client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                        .handle((r, failure) -> {
                            if (failure != null) {
                                System.err.println("tail: deleting " + entries.size() + " messages failed: "
                                        + failure.getMessage() + " (they will be received again)");
                            } else {
                                deleted.addAndGet(r.successful().size());
                                if (!r.failed().isEmpty()) {
                                    System.err.println("tail: " + r.failed().size() + " messages not deleted ("
                                            + r.failed().get(0).code() + "); they will be received again");
                                }
                            }
                            return null;
                        });
                deletions.add(deletion);
                deletion.whenComplete((ignored, failure) -> deletions.remove(deletion)); // --follow runs for days

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

    /** Messages received so far. */
    public long received() {
        return received.get();
    }

    /**
     * Resolves Extended Client pointers ({@code largeMessagePolicy=s3}) with {@code s3}: the event
     * is the object's text. Without it, pointers are printed as they are.
     */
    public Tail resolvingPointersWith(software.amazon.awssdk.services.s3.S3AsyncClient s3) {
        this.s3 = s3;
        return this;
    }

    private String fetch(io.github.sqsappender.reader.S3Pointer pointer) {
        String text = s3.getObject(b -> b.bucket(pointer.bucket()).key(pointer.key()),
                software.amazon.awssdk.core.async.AsyncResponseTransformer.toBytes()).join().asUtf8String();
        resolved.incrementAndGet();
        return text;
    }

    /** Events read from S3 through pointers so far. */
    public long resolvedPointers() {
        return resolved.get();
    }

    /** An S3 client for resolving pointers: the region as for SQS, {@code endpoint} (path-style) when given. */
    public static software.amazon.awssdk.services.s3.S3AsyncClient s3Client(String queueUrl, String region, String endpoint) {
        var builder = software.amazon.awssdk.services.s3.S3AsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder());
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
            if (isLoopback(URI.create(endpoint))) {
                builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            }
        } else {
            builder.crossRegionAccessEnabled(true);
        }
        String effectiveRegion = region;
        if (effectiveRegion == null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("sqs\\.([a-z0-9-]+)\\.amazonaws\\.com")
                    .matcher(URI.create(queueUrl).getHost());
            effectiveRegion = m.find() ? m.group(1) : "us-east-1";
        }
        return builder.region(Region.of(effectiveRegion)).build();
    }

    /** Events decoded so far. */
    public long events() {
        return events.get();
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
        // Before any logger exists: the class path's logback.xml is the demo's, which ships to SQS and
        // (its queue unset here) prints Logback's status on stdout, where only events may go.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "tools-logback.xml");
        }
        System.exit(run(args));
    }

    /** Runs the command line; returns the exit code (0 done, 2 usage error). */
    static int run(String[] args) throws Exception {
        Args a;
        try {
            a = new Args(args, Set.of("--queue-url", "--region", "--endpoint", "--s3-endpoint", "--receivers", "--count", "--idle"),
                    Set.of("--follow", "--no-delete", "--stats", "--quiet"));
            if (a.wantsHelp()) {
                System.out.print(USAGE);
                return 0;
            }
            if (a.value("--queue-url", null) == null) {
                throw new Args.UsageException("--queue-url is required");
            }
        } catch (Args.UsageException e) {
            System.err.println("tail: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        String queueUrl = a.value("--queue-url", null);
        boolean follow = a.flag("--follow");
        long count;
        Duration idle;
        int receivers;
        try {
            count = a.number("--count", 0);
            idle = follow ? null : Duration.ofSeconds(a.number("--idle", 5));
            receivers = (int) a.number("--receivers", 4);
        } catch (Args.UsageException e) {
            System.err.println("tail: " + e.getMessage());
            return 2;
        }
        boolean quiet = a.flag("--quiet");
        SqsAsyncClient client = client(queueUrl, a.value("--region", null), a.value("--endpoint", null));
        // Pointers are resolved from AWS S3 for a queue on AWS, or from --s3-endpoint; a local queue
        // without --s3-endpoint has no S3 to ask, so its pointers are printed as they are.
        String s3Endpoint = a.value("--s3-endpoint", null);
        boolean onAws = a.value("--endpoint", null) == null && URI.create(queueUrl).getHost().contains("amazonaws.com");
        try (Tail tail = new Tail(client, true, queueUrl, receivers, !a.flag("--no-delete"), follow ? 20 : 1);
             var s3 = s3Endpoint != null || onAws ? s3Client(queueUrl, a.value("--region", null), s3Endpoint) : null) {
            if (s3 != null) {
                tail.resolvingPointersWith(s3);
            }
            PrintStream out = System.out;
            Result result = tail.run(count, idle, (m, inMessage, at) -> {
                if (!quiet) {
                    synchronized (out) {
                        for (String event : inMessage) {
                            out.println(event.endsWith("\n") ? event.substring(0, event.length() - 1) : event);
                        }
                    }
                }
            }, a.flag("--stats") ? System.err : null);
            System.err.printf("tail: %,d events in %,d messages in %.1f s (%,.0f events/s, %,.0f msg/s), %,d deleted%s%n",
                    result.events(), result.received(), result.elapsed().toNanos() / 1e9, result.eventsPerSecond(),
                    result.perSecond(), result.deleted(), result.corrupt() > 0 ? ", " + result.corrupt() + " undecodable" : "");
        }
        return 0;
    }
}
