package io.github.sqsappender.core.testing;

import io.github.sqsappender.core.port.S3Put;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SendFailure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;

/**
 * A scriptable {@link S3Store}: stores objects in memory, answers the next puts with scripted
 * failures, and can hold completions until the test releases them. Safe to call from the
 * dispatcher thread while a test thread inspects it.
 */
public final class InMemoryS3Store implements S3Store {

    private final Map<String, S3Put> objects = new LinkedHashMap<>();
    private final Deque<SendFailure> failures = new ArrayDeque<>();
    private final List<Runnable> held = new ArrayList<>();
    private SendFailure always;
    private boolean holding;
    private boolean closed;
    private int puts;

    /** The next puts fail with {@code failure}, once each. */
    public synchronized InMemoryS3Store thenFail(SendFailure failure, int times) {
        for (int i = 0; i < times; i++) {
            failures.addLast(failure);
        }
        return this;
    }

    /** Every put fails with {@code failure} until {@code null} is set. */
    public synchronized InMemoryS3Store always(SendFailure failure) {
        this.always = failure;
        return this;
    }

    /** While holding, completions are kept until {@link #releaseAll()}. */
    public synchronized void hold(boolean hold) {
        this.holding = hold;
    }

    public void releaseAll() {
        List<Runnable> toRun;
        synchronized (this) {
            toRun = new ArrayList<>(held);
            held.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized int heldCount() {
        return held.size();
    }

    @Override
    public CompletableFuture<Void> put(S3Put object) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        Runnable complete;
        synchronized (this) {
            puts++;
            SendFailure failure = !failures.isEmpty() ? failures.pollFirst() : always;
            complete = () -> {
                if (failure != null) {
                    future.completeExceptionally(failure);
                    return;
                }
                synchronized (this) {
                    objects.put(object.bucket() + "/" + object.key(), object);
                }
                future.complete(null);
            };
            if (holding) {
                held.add(complete);
                return future;
            }
        }
        complete.run();
        return future;
    }

    /** Put attempts so far, failed ones included. */
    public synchronized int puts() {
        return puts;
    }

    /** Stored objects by {@code bucket/key}, in the order they were stored. */
    public synchronized Map<String, S3Put> objects() {
        return new LinkedHashMap<>(objects);
    }

    /** The stored object's body as UTF-8 text. */
    public synchronized String text(String bucketAndKey) {
        return new String(objects.get(bucketAndKey).body(), StandardCharsets.UTF_8);
    }

    /** Every record line of every stored gzip'ed object, in storage order. */
    public synchronized List<String> gunzippedLines() {
        List<String> lines = new ArrayList<>();
        for (S3Put put : objects.values()) {
            if ("gzip".equals(put.contentEncoding())) {
                lines.addAll(gunzip(put.body()).lines().toList());
            }
        }
        return lines;
    }

    public static String gunzip(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    public synchronized boolean isClosed() {
        return closed;
    }
}
