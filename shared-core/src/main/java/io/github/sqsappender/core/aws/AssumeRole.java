package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The {@code roleArn} credentials. Kept in its own class so the optional sts module is loaded
 * only when a role is configured ({@link SqsClients#checkAvailable} reports its absence).
 */
final class AssumeRole {

    private AssumeRole() {
    }

    static AwsCredentialsProvider provider(SqsAppenderConfig config, AwsCredentialsProvider base, Region region) {
        var sts = StsClient.builder().region(region);
        if (base != null) {
            sts.credentialsProvider(base);
        }
        String session = config.roleSessionName() != null ? config.roleSessionName() : "sqs-appender-" + config.name();
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts.build())
                .asyncCredentialUpdateEnabled(false)
                .refreshRequest(r -> {
                    r.roleArn(config.roleArn()).roleSessionName(session);
                    if (config.externalId() != null) {
                        r.externalId(config.externalId());
                    }
                })
                .build();
    }
}
