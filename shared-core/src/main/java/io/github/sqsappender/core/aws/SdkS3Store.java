package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.port.S3Put;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SendFailure;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@link S3Store} backed by the AWS SDK v2 {@link S3AsyncClient}. The client is built lazily on the
 * first {@link #put}, i.e. on the dispatcher thread. It shares the SQS client's HTTP transport (threads),
 * credentials ({@code profile}, {@code roleArn}) and region when the SDK sender built those; with a
 * {@code clientFactory} it comes from the factory if that implements {@link S3ClientFactory}, and
 * is otherwise built from the configuration. {@code s3Endpoint} overrides the endpoint, with
 * path-style access. The SDK's own retries are off: the pipeline retries, bounded by
 * {@code deliveryTimeoutMs}.
 */
final class SdkS3Store implements S3Store {

    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(60);

    private final SqsAppenderConfig config;
    private final SdkSqsSender sharing; // null: build everything from the configuration
    private final Object lock = new Object();
    private Built client; // with what was created for it alone
    private Object factory; // the clientFactory instance, created once
    private boolean closed;

    SdkS3Store(SqsAppenderConfig config, SdkSqsSender sharing) {
        this.config = config;
        this.sharing = sharing;
    }

    private S3AsyncClient client() {
        synchronized (lock) {
            if (closed) {
                throw SendFailure.permanent("Closed", "the appender is stopping");
            }
            if (client != null) {
                return client.client();
            }
        }
        // Built outside the lock, so that close() never waits for a build (see SdkSqsSender.bundle).
        Built built = build();
        S3AsyncClient kept;
        synchronized (lock) {
            if (!closed && client == null) {
                client = built;
                return built.client();
            }
            kept = closed ? null : client.client();
        }
        built.close();
        if (kept == null) {
            throw SendFailure.permanent("Closed", "the appender is stopping");
        }
        return kept;
    }

    /** A built client and what was created for it alone (null when shared with the SQS client). */
    private record Built(S3AsyncClient client, HttpTransport transport, SdkTimer timer, AutoCloseable credentials) {
        void close() {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // closing is best effort
            } finally {
                SqsClients.closeQuietly(timer);
                SqsClients.closeQuietly(credentials);
                if (transport != null) {
                    transport.close();
                }
            }
        }
    }

    /**
     * Builds the client. What it creates (event loops, credentials) is kept for {@link #close} only
     * once the build succeeded; a failed build releases it at once, so a retried put cannot leak.
     * Dispatcher thread.
     */
    private Built build() {
        SqsClients.OwnedClient shared = sharing != null ? sharing.sharedClient() : null;
        if (sharing != null && shared == null) {
            // The sender has closed (a stop that did not wait for this build): building a client of
            // our own now would only be thrown away.
            throw SendFailure.permanent("Closed", "the appender is stopping");
        }
        if (config.clientFactory() != null && (shared == null || shared.transport() == null)) {
            if (factory == null) {
                factory = SqsClients.newFactoryInstance(config.clientFactory());
            }
            if (factory instanceof S3ClientFactory s3Factory) {
                return new Built(s3Factory.createS3(config), null, null, null);
            }
            shared = null; // the factory built the SQS client; build S3's from the configuration
        }
        HttpTransport createdTransport = null;
        AutoCloseable createdCredentials = null;
        SdkTimer timer = new SdkTimer(config.name() + "-s3");
        try {
            HttpTransport transport;
            AwsCredentialsProvider credentials;
            Region region;
            if (shared != null && shared.transport() != null) {
                transport = shared.transport();
                credentials = shared.credentialsProvider();
                region = shared.region();
            } else {
                region = SqsClients.region(config);
                createdTransport = HttpTransport.create(config, config.name() + "-s3");
                transport = createdTransport;
                SqsClients.Credentials own = SqsClients.Credentials.of(config, region);
                createdCredentials = own.owned();
                credentials = own.provider();
            }
            S3AsyncClientBuilder builder = S3AsyncClient.builder()
                    .httpClientBuilder(transport.httpClient(8))
                    // Our callbacks only enqueue and unpark, so they may run on the I/O thread.
                    .asyncConfiguration(b -> b.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run))
                    .overrideConfiguration(b -> b.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(API_CALL_TIMEOUT)
                            .scheduledExecutorService(timer.executor()))
                    .region(region);
            if (config.s3Endpoint() != null) {
                builder.endpointOverride(config.s3Endpoint()).forcePathStyle(true);
            } else {
                builder.crossRegionAccessEnabled(true); // the bucket may live in another region than the queue
            }
            if (credentials != null) {
                builder.credentialsProvider(credentials);
            }
            return new Built(builder.build(), createdTransport, timer, createdCredentials);
        } catch (RuntimeException | Error e) {
            timer.close();
            SqsClients.closeQuietly(createdCredentials);
            if (createdTransport != null) {
                createdTransport.close();
            }
            throw e;
        }
    }

    @Override
    public CompletableFuture<Void> put(S3Put object) {
        S3AsyncClient c;
        try {
            c = client();
        } catch (SendFailure e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException | LinkageError e) {
            return CompletableFuture.failedFuture(new SendFailure("ClientConfiguration",
                    "cannot build the S3 client: " + e.getMessage(), false, false, e));
        }
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(object.bucket())
                .key(object.key())
                .contentType(object.contentType())
                .contentLength((long) object.body().length);
        if (object.contentEncoding() != null) {
            request.contentEncoding(object.contentEncoding());
        }
        return c.putObject(request.build(), AsyncRequestBody.fromBytesUnsafe(object.body())).handle((response, failure) -> {
            if (failure != null) {
                throw SdkFailures.classify(failure);
            }
            return null;
        });
    }

    @Override
    public void close() {
        Built toClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = client;
            client = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }
}
