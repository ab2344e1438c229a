package io.github.sqsappender.core.testing;

import io.github.sqsappender.core.port.SendFailure;
import io.github.sqsappender.core.port.WireMessage;
import io.github.sqsappender.core.port.SqsSender;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A scriptable {@link SqsSender}: records every batch, answers with scripted outcomes (entry
 * failures, whole-request failures), and can hold completions until the test releases them.
 * Safe to call from the dispatcher thread while a test thread inspects it.
 */
public final class InMemorySqsSender implements SqsSender {

    /** What one request will be answered with; null means "everything succeeded". */
    public interface Script extends Function<List<BatchEntry>, Object> {
    }

    private final String queueUrl;
    private final int maxMessageBytes;
    private final Queue<List<BatchEntry>> batches = new ConcurrentLinkedQueue<>();
    private final Queue<String> delivered = new ConcurrentLinkedQueue<>();
    private final Deque<Script> scripts = new ArrayDeque<>();
    private final List<Runnable> heldCompletions = new ArrayList<>();
    private volatile boolean holding;
    private volatile Object resolveAnswer;
    private volatile Error resolveThrows;
    private volatile boolean closed;
    private volatile int resolveCalls;

    public InMemorySqsSender() {
        this("https://sqs.us-east-1.amazonaws.com/123456789012/test", 262_144);
    }

    public InMemorySqsSender(String queueUrl, int maxMessageBytes) {
        this.queueUrl = queueUrl;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The next requests are answered by these scripts, in order; then everything succeeds. */
    public synchronized InMemorySqsSender thenAnswer(Script script) {
        scripts.addLast(script);
        return this;
    }

    /** The next request fails whole with {@code failure}. */
    public InMemorySqsSender thenFailRequest(SendFailure failure) {
        return thenAnswer(entries -> failure);
    }

    /** In the next request, entries at these positions fail with the given sender fault. */
    public InMemorySqsSender thenFailEntries(boolean senderFault, String code, int... positions) {
        return thenAnswer(entries -> {
            List<EntryFailure> failures = new ArrayList<>();
            for (int position : positions) {
                failures.add(new EntryFailure(entries.get(position).id(), senderFault, code, "scripted"));
            }
            return new BatchResult(failures);
        });
    }

    /** Makes {@link #resolveQueue} throw {@code thrown} instead of answering (null: answer again). */
    public void resolveThrowing(Error thrown) {
        this.resolveThrows = thrown;
    }

    /** Makes queue resolution fail with {@code failure} (null: succeed). */
    public void resolveWith(SendFailure failure) {
        this.resolveAnswer = failure;
    }

    /** While holding, completions are kept until {@link #releaseAll()}. */
    public void hold(boolean hold) {
        this.holding = hold;
    }

    /** Completes every held request. */
    public void releaseAll() {
        List<Runnable> toRun;
        synchronized (this) {
            toRun = new ArrayList<>(heldCompletions);
            heldCompletions.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized int heldCount() {
        return heldCompletions.size();
    }

    @Override
    public CompletableFuture<QueueTarget> resolveQueue() {
        resolveCalls++;
        if (resolveThrows != null) {
            throw resolveThrows;
        }
        Object answer = resolveAnswer;
        if (answer instanceof SendFailure) {
            return CompletableFuture.failedFuture((SendFailure) answer);
        }
        return CompletableFuture.completedFuture(new QueueTarget(queueUrl, maxMessageBytes, null));
    }

    @Override
    public CompletableFuture<BatchResult> sendBatch(String url, List<BatchEntry> entries) {
        List<BatchEntry> copy = List.copyOf(entries);
        batches.add(copy);
        Script script;
        synchronized (this) {
            script = scripts.pollFirst();
        }
        Object outcome = script == null ? null : script.apply(copy);
        CompletableFuture<BatchResult> future = new CompletableFuture<>();
        Runnable complete = () -> {
            if (outcome instanceof SendFailure) {
                future.completeExceptionally((SendFailure) outcome);
                return;
            }
            BatchResult result = outcome == null ? BatchResult.allSucceeded() : (BatchResult) outcome;
            List<String> failedIds = result.failures().stream().map(EntryFailure::id).toList();
            for (BatchEntry entry : copy) {
                if (!failedIds.contains(entry.id())) {
                    delivered.add(entry.message().body());
                }
            }
            future.complete(result);
        };
        if (holding) {
            synchronized (this) {
                heldCompletions.add(complete);
            }
        } else {
            complete.run();
        }
        return future;
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    public int resolveCalls() {
        return resolveCalls;
    }

    /** Every request made, in order. */
    public List<List<BatchEntry>> batches() {
        return new ArrayList<>(batches);
    }

    /** Bodies of every acknowledged entry, in acknowledgement order. */
    public List<String> delivered() {
        return new ArrayList<>(delivered);
    }

    /** Sizes of the requests made, in order. */
    public List<Integer> batchSizes() {
        return batches().stream().map(List::size).toList();
    }

    /** Bodies in one request. */
    public static List<String> bodies(List<BatchEntry> batch) {
        return batch.stream().map(BatchEntry::message).map(WireMessage::body).toList();
    }
}
