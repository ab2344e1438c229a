package io.github.sqsappender.core.port;

/**
 * One object to write to S3.
 *
 * @param contentEncoding the object's {@code Content-Encoding}, or null for none
 */
public record S3Put(String bucket, String key, byte[] body, String contentType, String contentEncoding) {

    /** {@code s3://bucket/key}, for status messages. */
    public String location() {
        return "s3://" + bucket + "/" + key;
    }
}
