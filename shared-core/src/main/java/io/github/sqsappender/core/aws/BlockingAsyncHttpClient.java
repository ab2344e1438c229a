package io.github.sqsappender.core.aws;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.utils.AttributeMap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A blocking {@link SdkHttpClient} behind the SDK's asynchronous HTTP interface, so the
 * {@code SqsAsyncClient} and {@code S3AsyncClient} can send with it. The request body (at most a
 * few MiB: an SQS batch, an S3 object the appender wrote) is collected first, then the call runs
 * on one of the transport's worker threads; the response is read whole and handed back as a
 * one-buffer stream. Completing the returned future before the call ends (the SDK's call
 * timeout, a cancellation) aborts the call.
 */
final class BlockingAsyncHttpClient implements SdkAsyncHttpClient {

    private final SdkHttpClient delegate;
    private final Executor workers;

    BlockingAsyncHttpClient(SdkHttpClient delegate, Executor workers) {
        this.delegate = delegate;
        this.workers = workers;
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        SdkHttpContentPublisher content = request.requestContentPublisher();
        CompletableFuture<byte[]> body = content == null ? CompletableFuture.completedFuture(null) : collect(content);
        body.whenComplete((bytes, failure) -> {
            if (failure != null) {
                fail(request, done, failure);
                return;
            }
            try {
                workers.execute(() -> call(request, bytes, done));
            } catch (RejectedExecutionException e) {
                fail(request, done, e); // closing
            }
        });
        return done;
    }

    private void call(AsyncExecuteRequest request, byte[] body, CompletableFuture<Void> done) {
        if (done.isDone()) {
            return; // cancelled while queued
        }
        try {
            HttpExecuteRequest.Builder blocking = HttpExecuteRequest.builder().request(request.request());
            if (body != null) {
                blocking.contentStreamProvider(() -> new ByteArrayInputStream(body));
            }
            ExecutableHttpRequest call = delegate.prepareRequest(blocking.build());
            // The SDK ends a timed-out attempt by completing this future exceptionally (not by
            // cancelling it): abort the call then, so it gives its thread and connection back.
            done.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    call.abort();
                }
            });
            HttpExecuteResponse response = call.call();
            byte[] responseBody;
            AbortableInputStream in = response.responseBody().orElse(null);
            if (in == null) {
                responseBody = new byte[0];
            } else {
                try (in) {
                    responseBody = in.readAllBytes();
                }
            }
            if (done.isDone()) {
                return; // the SDK already gave this attempt up (timeout)
            }
            request.responseHandler().onHeaders(response.httpResponse());
            request.responseHandler().onStream(AsyncRequestBody.fromBytesUnsafe(responseBody));
            done.complete(null);
        } catch (Throwable t) {
            fail(request, done, t);
        }
    }

    private static void fail(AsyncExecuteRequest request, CompletableFuture<Void> done, Throwable failure) {
        if (done.isDone()) {
            return; // already given up by the SDK, which reported its own failure
        }
        try {
            request.responseHandler().onError(failure);
        } finally {
            done.completeExceptionally(failure);
        }
    }

    /** All of a request body's bytes. */
    private static CompletableFuture<byte[]> collect(SdkHttpContentPublisher content) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        long length = content.contentLength().orElse(-1L);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length >= 0 && length < Integer.MAX_VALUE ? (int) length : 8_192);
        content.subscribe(new Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                ByteBuffer view = buffer.duplicate(); // leave the publisher's buffer as it was
                byte[] chunk = new byte[view.remaining()];
                view.get(chunk);
                out.write(chunk, 0, chunk.length);
            }

            @Override
            public void onError(Throwable t) {
                bytes.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                bytes.complete(out.toByteArray());
            }
        });
        return bytes;
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Builds the blocking client when the SDK builds its HTTP client, so the SDK also closes it. */
    static final class Builder implements SdkAsyncHttpClient.Builder<Builder> {
        private final Supplier<SdkHttpClient> delegate;
        private final Executor workers;

        Builder(Supplier<SdkHttpClient> delegate, Executor workers) {
            this.delegate = delegate;
            this.workers = workers;
        }

        @Override
        public SdkAsyncHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            return new BlockingAsyncHttpClient(delegate.get(), workers);
        }
    }
}
