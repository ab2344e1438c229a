package io.github.sqsappender.core.port;

import java.util.concurrent.CompletableFuture;

/**
 * The dispatcher's only view of S3: put one object. Keeping AWS types behind this port lets the
 * offload and fallback stages be tested without the SDK ({@code InMemoryS3Store} in the test-jar)
 * and run for real with {@code SdkS3Store}.
 *
 * <p>{@link #put} is called only from the dispatcher thread and must not block: it starts the
 * upload and returns a future, which may complete on any thread. A failed future carries a
 * {@link SendFailure} saying whether trying again may succeed.
 */
public interface S3Store extends AutoCloseable {

    /** Starts writing {@code object}; the future completes when S3 has stored it. */
    public CompletableFuture<Void> put(S3Put object);

    /** Releases the client and its connections; uploads still running may be cancelled. Idempotent. */
    @Override
    public void close();
}
