package io.github.sqsappender.core;

/**
 * The HTTP client the appender's SQS and S3 clients send with. Each one but {@link #NETTY} is an
 * optional dependency: choosing one that is not on the class path is a configuration error that
 * names the artifact to add.
 */
public enum HttpClientType {
    /**
     * The SDK's {@code netty-nio-client} (a dependency of the appender): non-blocking, on two I/O
     * threads of the appender's own, however many requests are in flight.
     */
    NETTY,
    /**
     * The SDK's {@code aws-crt-client} with {@code software.amazon.awssdk.crt:aws-crt}: non-blocking,
     * native (a platform-specific library inside the jar, unpacked to a temporary directory at
     * start), on the CRT's own event-loop threads.
     */
    CRT,
    /**
     * The SDK's {@code apache-client}: blocking, so each request in flight holds one of the
     * appender's own threads (up to {@code maxInFlight} plus the S3 writes); idle threads end
     * after 30 s.
     */
    APACHE
}
