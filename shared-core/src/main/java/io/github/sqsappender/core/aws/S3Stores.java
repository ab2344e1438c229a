package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.port.S3Store;
import io.github.sqsappender.core.port.SqsSender;

/**
 * Creates the S3 store the pipeline writes offloaded bodies and fallback objects with. Holds no
 * reference to the optional s3 module's types, so its absence is reported (naming the attribute
 * that needs it) before any of them is loaded.
 */
public final class S3Stores {

    private S3Stores() {
    }

    /**
     * An S3 store built from {@code config} on first use; when {@code sender} is the SDK sender, the
     * S3 client shares its event loops, credentials and region. Does no I/O.
     *
     * @throws IllegalStateException naming the attribute when software.amazon.awssdk:s3 is missing
     */
    public static S3Store create(SqsAppenderConfig config, SqsSender sender) {
        SqsClients.checkAvailable(config);
        return new SdkS3Store(config, sender instanceof SdkSqsSender sdk ? sdk : null);
    }
}
