package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.jvm.FeedbackGuard;
import io.github.sqsappender.core.jvm.WorkerThread;
import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.SqsSender;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * {@link SqsSender} backed by the AWS SDK v2 {@link SqsAsyncClient}. The client is built lazily for
 * the first {@link #resolveQueue()}, on a thread of its own ({@code sqs-appender-NAME-client}),
 * because building it can do I/O (region chain, profile files) and takes about a second on a cold
 * JVM: neither the application's startup nor the dispatcher waits for it, so a stop with nothing
 * to deliver (a Logback reset right after start, as Spring Boot does) returns at once.
 */
public final class SdkSqsSender implements SqsSender {

    private final SqsAppenderConfig config;
    private final Supplier<SqsClients.OwnedClient> clientSupplier;
    private final Object lock = new Object();
    private SqsClients.OwnedClient client;
    private boolean closed;
    private CompletableFuture<SqsAsyncClient> building; // guarded by lock: the build under way, if any

    private SdkSqsSender(SqsAppenderConfig config, Supplier<SqsClients.OwnedClient> clientSupplier) {
        this.config = config;
        this.clientSupplier = clientSupplier;
    }

    /**
     * A sender that builds its client from {@code config} when first used.
     *
     * @throws IllegalStateException naming the attribute when a configured feature is unavailable
     */
    public static SdkSqsSender create(SqsAppenderConfig config) {
        SqsClients.checkAvailable(config);
        return new SdkSqsSender(config, () -> SqsClients.build(config));
    }

    /** A sender whose client bundle comes from {@code clients}, called on first use. Tests. */
    static SdkSqsSender withClients(SqsAppenderConfig config, Supplier<SqsClients.OwnedClient> clients) {
        return new SdkSqsSender(config, clients);
    }

    private WorkerThread sendThread; // guarded by lock; its thread starts with the first batch

    private SqsAsyncClient client() {
        SqsClients.OwnedClient bundle = bundle();
        if (bundle == null) {
            throw SendFailure.permanent("Closed", "the appender is stopping");
        }
        return bundle.client();
    }

    /**
     * The client bundle (built on first use), for the S3 client to share its event loops,
     * credentials and region; null once closed. Dispatcher thread.
     */
    SqsClients.OwnedClient sharedClient() {
        return bundle();
    }

    /**
     * The client bundle, built on first use; null once closed. Built outside the lock: a first
     * build initialises Netty and the SDK, whose loggers may need the logging framework's own
     * locks — which a thread stopping the appender can hold (Log4j2 stops managers under one global
     * lock) — so {@link #close} must never wait for a build. A build that finds this sender closed,
     * or a client already there, closes what it built.
     */
    private SqsClients.OwnedClient bundle() {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            if (client != null) {
                return client;
            }
        }
        SqsClients.OwnedClient built = clientSupplier.get();
        SqsClients.OwnedClient kept;
        synchronized (lock) {
            if (!closed && client == null) {
                client = built;
                return built;
            }
            kept = closed ? null : client;
        }
        closeQuietly(built);
        return kept;
    }

    private static void closeQuietly(SqsClients.OwnedClient owned) {
        try {
            owned.close();
        } catch (RuntimeException ignored) {
            // closing is best effort
        }
    }

    @Override
    public CompletableFuture<QueueTarget> resolveQueue() {
        return clientBuiltElsewhere().thenCompose(this::lookUp);
    }

    /**
     * The client, built on a thread of its own the first time (one build at a time); completes
     * exceptionally with a {@link SendFailure} when it cannot be built or this sender is closed.
     * Nothing waits for that thread: a build that finds this sender closed closes what it built.
     */
    private CompletableFuture<SqsAsyncClient> clientBuiltElsewhere() {
        CompletableFuture<SqsAsyncClient> future;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(SendFailure.permanent("Closed", "the appender is stopping"));
            }
            if (client != null) {
                return CompletableFuture.completedFuture(client.client());
            }
            if (building != null) {
                return building;
            }
            future = building = new CompletableFuture<>();
        }
        Thread builder = new Thread(() -> {
            try {
                future.complete(client());
            } catch (SendFailure e) {
                future.completeExceptionally(e);
            } catch (RuntimeException | LinkageError e) { // a missing or mismatched module, a native library
                future.completeExceptionally(new SendFailure("ClientConfiguration",
                        "cannot build the SQS client: " + e, false, false, e));
            } finally {
                synchronized (lock) {
                    building = null;
                }
            }
        }, FeedbackGuard.THREAD_PREFIX + config.name() + "-client");
        builder.setDaemon(true);
        builder.start();
        return future;
    }

    private CompletableFuture<QueueTarget> lookUp(SqsAsyncClient c) {
        CompletableFuture<String> url;
        if (config.queueUrl() != null) {
            url = CompletableFuture.completedFuture(config.queueUrl().toString());
        } else {
            url = c.getQueueUrl(b -> b.queueName(config.queueName()).queueOwnerAWSAccountId(config.queueOwnerAccountId()))
                    .thenApply(r -> r.queueUrl());
        }
        return url.thenCompose(u -> QueueLimits.of(c, u, config.maxMessageBytes())).handle((target, failure) -> {
            if (failure != null) {
                throw SdkFailures.classify(failure);
            }
            warmUp(c, target.queueUrl());
            return target;
        });
    }

    /**
     * Makes the send path ready before the first burst, without sending a message: one
     * SendMessageBatch with no entries, which SQS refuses ({@code EmptyBatchRequest}) and stores
     * nothing for, but which loads, links and runs the request's marshalling, signing, connection
     * and response handling — the cold path that otherwise slows the first real request, by up to
     * a second when the application's threads saturate the CPU. It runs beside the first sends,
     * never before them, and its outcome is ignored. Called once the queue is known.
     */
    private static void warmUp(SqsAsyncClient c, String queueUrl) {
        try {
            c.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(List.of()));
        } catch (RuntimeException e) {
            // only a warm-up: the first real request will report whatever is wrong
        }
    }

    /**
     * Hands the batch to the send thread, which builds the request and calls the SDK: the SDK
     * marshals the request to JSON and signs it (a SHA-256 of the whole body) on the calling
     * thread, about half of what a packed event costs after the application thread. Done here,
     * the dispatcher assembles the next messages meanwhile. Requests keep their order.
     */
    @Override
    public CompletableFuture<BatchResult> sendBatch(String queueUrl, List<BatchEntry> entries) {
        SqsAsyncClient c;
        WorkerThread sendThread;
        try {
            c = client();
            sendThread = sendThread();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof SendFailure ? e
                    : new SendFailure("ClientConfiguration", String.valueOf(e.getMessage()), false, false, e));
        }
        SdkBatchSend task = new SdkBatchSend(c, queueUrl, entries);
        try {
            sendThread.execute(task);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(SendFailure.permanent("Closed", "the appender is stopping"));
        }
        return task.result;
    }

    private WorkerThread sendThread() {
        synchronized (lock) {
            if (closed) {
                throw SendFailure.permanent("Closed", "the appender is stopping");
            }
            if (sendThread == null) {
                sendThread = new WorkerThread(FeedbackGuard.THREAD_PREFIX + config.name() + "-send");
            }
            return sendThread;
        }
    }

    @Override
    public void close() {
        SqsClients.OwnedClient toClose;
        WorkerThread sendToClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = client;
            client = null;
            sendToClose = sendThread;
            sendThread = null;
        }
        if (sendToClose != null) {
            // Only a call into the SDK that returns a future can be running: short.
            for (Runnable never : sendToClose.close(5_000)) {
                ((SdkBatchSend) never).result.completeExceptionally(SendFailure.permanent("Closed", "the appender is stopping"));
            }
        }
        if (toClose != null) {
            closeQuietly(toClose);
        }
    }
}
