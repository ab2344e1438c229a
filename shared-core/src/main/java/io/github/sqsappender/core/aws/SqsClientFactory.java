package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Builds the {@link SqsAsyncClient} when the defaults do not fit (a proxy, a custom HTTP client,
 * special credentials). Name the implementing class in the {@code clientFactory} attribute; it
 * needs a public no-argument constructor. Called once, on the appender's dispatcher thread; the
 * appender closes the client when it stops.
 *
 * <p>Disable the SDK's own retries ({@code AwsRetryStrategy.doNotRetry()}): the appender retries
 * exactly the failed entries itself, bounded by {@code deliveryTimeoutMs}.
 */
public interface SqsClientFactory {

    SqsAsyncClient create(SqsAppenderConfig config);
}
