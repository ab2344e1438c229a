package io.github.sqsappender.reader;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3PointerTest {

    @Test
    void readsTheExtendedClientPointer() {
        assertThat(S3Pointer.parse("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"logs\","
                + "\"s3Key\":\"sqs-appender/5b1c\\\"x\"}]")).isEqualTo(new S3Pointer("logs", "sqs-appender/5b1c\"x"));
    }

    @Test
    void readsThePointersTheExtendedClientsWriteWithSpacesAndTheLegacyClassName() {
        // Python's and JavaScript's clients: json.dumps([...]) puts a space after every , and :
        assertThat(S3Pointer.parse("[\"software.amazon.payloadoffloading.PayloadS3Pointer\", {\"s3BucketName\": \"logs\", "
                + "\"s3Key\": \"4f1c-9e\"}]")).isEqualTo(new S3Pointer("logs", "4f1c-9e"));
        assertThat(S3Pointer.parse(" [ \"com.amazon.sqs.javamessaging.MessageS3Pointer\" ,\n{ \"s3Key\" : \"k\" , "
                + "\"s3BucketName\" : \"b\" } ] ")).isEqualTo(new S3Pointer("b", "k"));
    }

    @Test
    void anythingElseIsNotAPointer() {
        assertThat(S3Pointer.parse("plain log line")).isNull();
        assertThat(S3Pointer.parse(null)).isNull();
        assertThat(S3Pointer.parse("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"logs\"}]")).isNull();
        assertThat(S3Pointer.parse("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"lo")).isNull();
        assertThat(S3Pointer.parse("[\"com.example.Other\",{\"s3BucketName\":\"b\",\"s3Key\":\"k\"}]")).isNull();
        assertThat(S3Pointer.parse("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"b\","
                + "\"s3Key\":\"k\"}] and more")).isNull();
        assertThat(S3Pointer.parse("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":1,"
                + "\"s3Key\":\"k\"}]")).isNull();
    }

    @Test
    void aFallbackObjectDecodesToItsEventsAndACorruptOneIsReported() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write("\"one\"\n\"two \\u2028 \\\"q\\\"\"\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(LogMessageReader.fallbackObject("k", bytes.toByteArray())).containsExactly("one", "two \u2028 \"q\"");
        assertThatThrownBy(() -> LogMessageReader.fallbackObject("bad-key", new byte[] {1, 2, 3}))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("bad-key");
    }
}
