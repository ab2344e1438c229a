package io.github.sqsappender.core;

/** Where events go that cannot be delivered to the queue. */
public enum Fallback {
    /** They are counted as dropped ({@code undeliverable}) and reported. */
    NONE,
    /**
     * They are written to S3 ({@code s3Bucket}, under {@code s3KeyPrefix + "fallback/"}) as gzip'ed
     * objects of NDJSON records, and counted as sent to the fallback; only what S3 refuses too is
     * dropped.
     */
    S3
}
