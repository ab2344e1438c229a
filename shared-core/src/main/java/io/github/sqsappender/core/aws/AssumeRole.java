package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The {@code roleArn} credentials. Kept in its own class so the optional sts module is loaded
 * only when a role is configured ({@link SqsClients#checkAvailable} reports its absence). The
 * provider refreshes the temporary credentials before they expire, on the thread that signs the
 * next request (the dispatcher's or the SDK's, never an application thread).
 */
final class AssumeRole implements AutoCloseable {

    private final StsClient sts;
    private final StsAssumeRoleCredentialsProvider provider;

    private AssumeRole(StsClient sts, StsAssumeRoleCredentialsProvider provider) {
        this.sts = sts;
        this.provider = provider;
    }

    static AssumeRole create(SqsAppenderConfig config, AwsCredentialsProvider base, Region region) {
        var builder = StsClient.builder().region(region);
        if (base != null) {
            builder.credentialsProvider(base);
        }
        StsClient sts = builder.build();
        String session = config.roleSessionName() != null ? config.roleSessionName() : "sqs-appender-" + config.name();
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
        return new AssumeRole(sts, provider);
    }

    AwsCredentialsProvider provider() {
        return provider;
    }

    /** The STS client, for tests that check it is closed with the SQS client. */
    StsClient stsClient() {
        return sts;
    }

    /** Closes the provider and the STS client it uses (the provider leaves a client it was given open). */
    @Override
    public void close() {
        provider.close();
        sts.close();
    }
}
