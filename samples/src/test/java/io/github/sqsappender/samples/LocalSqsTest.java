package io.github.sqsappender.samples;

import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class LocalSqsTest {

    @Test
    void itServesItsQueueOnLoopbackToAClientWithAnyKeysAndSaysHowToUseIt() {
        int port = EmbeddedSqs.freePort();
        try (LocalSqs sqs = LocalSqs.start(port, "logs");
             SqsClient client = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .build()) {
            assertThat(sqs.queueUrl()).isEqualTo("http://127.0.0.1:" + port + "/000000000000/logs");
            client.sendMessage(b -> b.queueUrl(sqs.queueUrl()).messageBody("hello"));
            assertThat(client.receiveMessage(b -> b.queueUrl(sqs.queueUrl()).waitTimeSeconds(5)).messages())
                    .extracting(m -> m.body()).containsExactly("hello");
            assertThat(LocalSqs.instructions(sqs.queueUrl()))
                    .contains("--queueUrl " + sqs.queueUrl(), "./tail.sh --queue-url " + sqs.queueUrl(), "AWS_ACCESS_KEY_ID");
        }
    }
}
