package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.jvm.FeedbackGuard;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the appender's SQS client from its configuration. */
final class SqsClients {

    private static final Pattern REGION_IN_HOST =
            Pattern.compile("^(?:sqs[.-]|sqs-fips[.-])?([a-z]{2,}(?:-[a-z0-9]+)*-[0-9]+)\\.(?:queue\\.)?amazonaws\\.com(?:\\.cn)?$");
    private static final Pattern LEGACY_REGION_HOST =
            Pattern.compile("^([a-z]{2,}(?:-[a-z0-9]+)*-[0-9]+)\\.queue\\.amazonaws\\.com(?:\\.cn)?$");
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);

    /** What the SDK's synchronous STS client can send with; any one suffices. */
    private static final java.util.List<String> SYNC_HTTP_CLIENTS = java.util.List.of(
            "software.amazon.awssdk.http.apache.ApacheSdkHttpService",
            "software.amazon.awssdk.http.apache5.Apache5SdkHttpService",
            "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService",
            "software.amazon.awssdk.http.crt.AwsCrtSdkHttpService");

    /** True inside the sqs-appender-all jar, where the SDK is relocated (and only Netty is bundled). */
    static final boolean RELOCATED = SqsAsyncClient.class.getName().startsWith("io.github.sqsappender.shaded.");

    private SqsClients() {
    }

    /** Checks, without I/O, that configured features can work in this runtime. */
    static void checkAvailable(SqsAppenderConfig config) {
        if (config.roleArn() != null && !classPresent("software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider")) {
            throw new IllegalStateException("roleArn=" + config.roleArn()
                    + " needs the AWS SDK 'sts' module (software.amazon.awssdk:sts) on the classpath");
        }
        if (config.roleArn() != null && SYNC_HTTP_CLIENTS.stream().noneMatch(SqsClients::classPresent)) {
            throw new IllegalStateException("roleArn=" + config.roleArn() + " needs a synchronous HTTP client for STS "
                    + "on the classpath: software.amazon.awssdk:apache-client (what sts brings by default) "
                    + "or url-connection-client");
        }
        if (config.httpClient() != io.github.sqsappender.core.HttpClientType.NETTY && RELOCATED) {
            throw new IllegalStateException("httpClient=" + config.httpClient().name().toLowerCase(java.util.Locale.ROOT)
                    + " is not available in the sqs-appender-all jar, which bundles only netty (the CRT's native "
                    + "library cannot be relocated): remove httpClient, or use sqs-appender-log4j2/-logback with the client");
        }
        if (config.httpClient() == io.github.sqsappender.core.HttpClientType.CRT
                && !(classPresent("software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient") && classPresent("software.amazon.awssdk.crt.CRT"))) {
            throw new IllegalStateException("httpClient=crt needs the AWS SDK's CRT client on the classpath: "
                    + "software.amazon.awssdk:aws-crt-client and software.amazon.awssdk.crt:aws-crt");
        }
        if (config.httpClient() == io.github.sqsappender.core.HttpClientType.APACHE
                && !classPresent("software.amazon.awssdk.http.apache.ApacheHttpClient")) {
            throw new IllegalStateException("httpClient=apache needs the AWS SDK's Apache client on the classpath: "
                    + "software.amazon.awssdk:apache-client");
        }
        if (config.usesS3() && !classPresent("software.amazon.awssdk.services.s3.S3AsyncClient")) {
            throw new IllegalStateException(s3Users(config) + " needs the AWS SDK 's3' module (software.amazon.awssdk:s3) "
                    + "on the classpath");
        }
        if (config.clientFactory() != null && RELOCATED) {
            throw new IllegalStateException("clientFactory=" + config.clientFactory() + " is not available in the "
                    + "sqs-appender-all jar: its AWS SDK is relocated, so a factory compiled against the SDK cannot "
                    + "return the client it uses; remove clientFactory, or use sqs-appender-log4j2/-logback with the SDK");
        }
        if (config.clientFactory() != null) {
            loadFactory(config.clientFactory());
        }
    }

    /** The attributes that make the appender use S3, for error messages. */
    static String s3Users(SqsAppenderConfig config) {
        java.util.List<String> users = new java.util.ArrayList<>();
        if (config.largeMessagePolicy() == io.github.sqsappender.core.LargeMessagePolicy.S3) {
            users.add("largeMessagePolicy=s3");
        }
        if (config.fallback() == io.github.sqsappender.core.Fallback.S3) {
            users.add("fallback=s3");
        }
        return String.join(" and ", users);
    }

    /**
     * A client and everything that must be released with it: its HTTP transport and timer thread
     * (when we made them) and the role credentials with their STS client (when a role is configured). The S3 client,
     * when one is needed, shares the transport, the credentials provider ({@code null}: the SDK's
     * default chain) and the region.
     */
    record OwnedClient(SqsAsyncClient client, HttpTransport transport, SdkTimer timer, AutoCloseable credentials,
                       AwsCredentialsProvider credentialsProvider, Region region) implements AutoCloseable {
        @Override
        public void close() {
            try {
                client.close();
            } finally {
                closeQuietly(timer);
                closeQuietly(credentials); // connection pools only; nothing is lost if it fails
                if (transport != null) {
                    transport.close();
                }
            }
        }
    }

    /** Builds the client; may do I/O (region chain, profile files), so never on an application's thread. */
    static OwnedClient build(SqsAppenderConfig config) {
        if (config.clientFactory() != null) {
            return new OwnedClient(loadFactory(config.clientFactory()).create(config), null, null, null, null, null);
        }
        HttpTransport transport = HttpTransport.create(config, config.name());
        SdkTimer timer = new SdkTimer(config.name());
        Credentials credentials = null;
        try {
            Region region = region(config);
            credentials = Credentials.of(config, region);
            return new OwnedClient(build(config, transport, timer, credentials.provider()), transport, timer,
                    credentials.owned(), credentials.provider(), region);
        } catch (RuntimeException | Error e) {
            if (credentials != null) {
                closeQuietly(credentials.owned());
            }
            timer.close();
            transport.close();
            throw e;
        }
    }

    /**
     * The configured credentials: a profile's, an assumed role's, or null for the SDK's default
     * chain; {@code owned} is what must be closed with the clients (the SDK does not close providers
     * it was given).
     */
    record Credentials(AwsCredentialsProvider provider, AutoCloseable owned) {
        static Credentials of(SqsAppenderConfig config, Region region) {
            ProfileCredentialsProvider base = config.profile() != null ? ProfileCredentialsProvider.create(config.profile()) : null;
            if (config.roleArn() == null) {
                return new Credentials(base, base);
            }
            try {
                AssumeRole assumed = AssumeRole.create(config, base, region);
                return new Credentials(assumed.provider(), assumed); // closes the profile provider too
            } catch (RuntimeException | Error e) {
                closeQuietly(base);
                throw e;
            }
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // already failing; the original error is what matters
            }
        }
    }

    private static SqsAsyncClient build(SqsAppenderConfig config, HttpTransport transport, SdkTimer timer,
                                        AwsCredentialsProvider credentials) {
        SqsAsyncClientBuilder builder = SqsAsyncClient.builder()
                .httpClientBuilder(transport.httpClient(Math.max(16, config.maxInFlight() * 2)))
                // Our callbacks only enqueue and unpark, so they may run on the I/O thread.
                .asyncConfiguration(b -> b.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run))
                // The dispatcher retries exactly the failed entries, bounded by deliveryTimeoutMs.
                .overrideConfiguration(b -> b.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(API_CALL_TIMEOUT)
                        .scheduledExecutorService(timer.executor()))
                // No MD5 of every body sent, compared with the one SQS answers: the request is
                // signed with the SHA-256 of its payload, which SQS checks, so a body SQS stored is
                // the body sent. The comparison would only turn an odd answer into a retry (and the
                // retry into duplicates), and it took half of the I/O threads' time for packed messages.
                .checksumValidationEnabled(false)
                .region(region(config));
        URI endpoint = endpoint(config);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder.build();
    }

    static Region region(SqsAppenderConfig config) {
        if (config.region() != null) {
            return Region.of(config.region());
        }
        String fromUrl = regionFromQueueUrl(config.queueUrl());
        if (fromUrl != null) {
            return Region.of(fromUrl);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException e) {
            if (endpoint(config) != null) {
                return Region.US_EAST_1; // a local endpoint (ElasticMQ, LocalStack) ignores the region
            }
            throw new IllegalStateException("No region: set the region attribute, use a queue URL like "
                    + "https://sqs.REGION.amazonaws.com/ACCOUNT/NAME, or configure the SDK's region chain", e);
        }
    }

    /** The region in an AWS queue URL's host, or null for other hosts. */
    static String regionFromQueueUrl(URI queueUrl) {
        if (queueUrl == null || queueUrl.getHost() == null) {
            return null;
        }
        String host = queueUrl.getHost().toLowerCase(java.util.Locale.ROOT);
        Matcher m = REGION_IN_HOST.matcher(host);
        if (m.matches()) {
            return m.group(1);
        }
        m = LEGACY_REGION_HOST.matcher(host);
        return m.matches() ? m.group(1) : null;
    }

    /** The endpoint override: configured, or taken from a queue URL that is not on amazonaws.com. */
    static URI endpoint(SqsAppenderConfig config) {
        if (config.endpoint() != null) {
            return config.endpoint();
        }
        URI url = config.queueUrl();
        if (url != null && url.getHost() != null && !url.getHost().toLowerCase(java.util.Locale.ROOT).contains("amazonaws.com")) {
            return URI.create(url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : ""));
        }
        return null;
    }

    /** A new instance of the {@code clientFactory} class (already checked by {@link #loadFactory}). */
    static Object newFactoryInstance(String className) {
        return loadFactory(className);
    }

    private static SqsClientFactory loadFactory(String className) {
        try {
            Class<?> type = Class.forName(className, true, contextOrOwnLoader());
            if (!SqsClientFactory.class.isAssignableFrom(type)) {
                throw new IllegalStateException("clientFactory=" + className + " does not implement "
                        + SqsClientFactory.class.getName());
            }
            return (SqsClientFactory) type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("clientFactory=" + className + ": class not found", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("clientFactory=" + className + ": needs a public no-argument constructor", e);
        }
    }

    private static ClassLoader contextOrOwnLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SqsClients.class.getClassLoader();
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, SqsClients.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static ThreadFactory namedThreads(String suffix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, FeedbackGuard.THREAD_PREFIX + suffix + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
