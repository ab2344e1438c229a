package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Builds the {@link S3AsyncClient} for {@code largeMessagePolicy=s3} and {@code fallback=s3}. A
 * {@code clientFactory} class that also implements this interface builds the S3 client too (the
 * same proxy, HTTP client or credentials as its SQS client); otherwise the appender builds it from
 * the configuration ({@code region}, {@code profile}, {@code roleArn}, {@code s3Endpoint}). Called
 * once, on the appender's dispatcher thread; the appender closes the client when it stops.
 *
 * <p>Disable the SDK's own retries ({@code AwsRetryStrategy.doNotRetry()}): the appender retries
 * failed writes itself, bounded by {@code deliveryTimeoutMs}.
 */
public interface S3ClientFactory {

    S3AsyncClient createS3(SqsAppenderConfig config);
}
