package io.github.sqsappender.core.aws;

import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;

import java.time.Duration;

/**
 * {@code httpClient=crt}: the AWS Common Runtime's native client. Its event-loop threads belong to
 * the CRT (shared by every CRT client in the JVM), so there is nothing of ours to release.
 */
final class CrtTransport implements HttpTransport {

    @Override
    public SdkAsyncHttpClient.Builder<?> httpClient(int maxConcurrency) {
        return AwsCrtAsyncHttpClient.builder()
                .maxConcurrency(maxConcurrency)
                .connectionTimeout(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        // the CRT's threads are not ours
    }
}
