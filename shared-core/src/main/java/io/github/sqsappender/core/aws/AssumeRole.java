package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.time.Duration;

/**
 * The {@code roleArn} credentials. Kept in its own class so the optional sts module is loaded
 * only when a role is configured ({@link SqsClients#checkAvailable} reports its absence). The
 * provider refreshes the temporary credentials before they expire, on the thread that signs the
 * next request (the dispatcher's or the SDK's, never an application thread).
 */
final class AssumeRole implements AutoCloseable {

    /** Bounds an AssumeRole call, which runs on the thread that signs the next request. */
    private static final Duration STS_CALL_TIMEOUT = Duration.ofSeconds(10);

    private final StsClient sts;
    private final StsAssumeRoleCredentialsProvider provider;
    private final AutoCloseable base;
    private final SdkTimer timer;

    private AssumeRole(StsClient sts, SdkTimer timer, StsAssumeRoleCredentialsProvider provider, AutoCloseable base) {
        this.sts = sts;
        this.timer = timer;
        this.provider = provider;
        this.base = base;
    }

    /**
     * @param base the credentials STS is called with (a profile's), or null for the SDK's default
     *             chain; closed with this object
     */
    static AssumeRole create(SqsAppenderConfig config, AwsCredentialsProvider base, Region region) {
        SdkTimer timer = new SdkTimer(config.name() + "-sts");
        var builder = StsClient.builder().region(region)
                .overrideConfiguration(b -> b.apiCallTimeout(STS_CALL_TIMEOUT).scheduledExecutorService(timer.executor()));
        if (base != null) {
            builder.credentialsProvider(base);
        }
        StsClient sts;
        try {
            sts = builder.build();
        } catch (RuntimeException | Error e) {
            timer.close();
            throw e;
        }
        try {
            String session = config.roleSessionName() != null ? config.roleSessionName() : defaultSessionName(config.name());
            StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .asyncCredentialUpdateEnabled(false)
                    .refreshRequest(r -> {
                        r.roleArn(config.roleArn()).roleSessionName(session);
                        if (config.externalId() != null) {
                            r.externalId(config.externalId());
                        }
                    })
                    .build();
            return new AssumeRole(sts, timer, provider, base instanceof AutoCloseable closeable ? closeable : null);
        } catch (RuntimeException | Error e) {
            sts.close();
            timer.close();
            throw e;
        }
    }

    AwsCredentialsProvider provider() {
        return provider;
    }

    /** The STS client, for tests that check it is closed with the SQS client. */
    StsClient stsClient() {
        return sts;
    }

    /**
     * Closes the provider, the STS client it uses (the provider leaves a client it was given
     * open) with its timer thread, and the base credentials; each even if an earlier one fails.
     */
    @Override
    public void close() throws Exception {
        try {
            provider.close();
        } finally {
            try {
                sts.close();
                timer.close();
            } finally {
                if (base != null) {
                    base.close();
                }
            }
        }
    }

    /**
     * {@code sqs-appender-NAME}, with what STS does not take in a session name (anything but
     * letters, digits and {@code +=,.@-_}) as {@code -}, at most 64 characters.
     */
    static String defaultSessionName(String appenderName) {
        String name = ("sqs-appender-" + appenderName).replaceAll("[^\\w+=,.@-]", "-");
        return name.length() <= 64 ? name : name.substring(0, 64);
    }
}
