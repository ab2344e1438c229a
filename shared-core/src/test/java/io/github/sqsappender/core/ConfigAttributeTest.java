package io.github.sqsappender.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The attribute descriptors drive the parser and the configuration page; these tests keep them honest. */
class ConfigAttributeTest {

    private static final String URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/app-logs";

    static Stream<ConfigAttribute> validated() {
        return ConfigAttribute.all().stream().filter(ConfigAttribute::hasCheckedValue);
    }

    @ParameterizedTest
    @MethodSource("validated")
    void everyValidatedAttributeRejectsABadValueByName(ConfigAttribute attribute) {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set(attribute.name(), "nonsense").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(attribute.name() + "=nonsense is invalid");
    }

    @ParameterizedTest
    @MethodSource("validated")
    void everyDefaultIsAcceptedWhenGivenExplicitly(ConfigAttribute attribute) throws Exception {
        if (attribute == ConfigAttribute.MAX_MESSAGE_BYTES) {
            return; // its default (read from the queue) is not a value one can write
        }
        SqsAppenderConfig.builder("a").set("queueUrl", URL).set(attribute.name(), attribute.defaultValue()).build();
    }

    @Test
    void builderAcceptsExactlyTheDescribedNames() {
        assertThat(SqsAppenderConfig.Builder.attributeNames())
                .containsExactlyElementsOf(ConfigAttribute.all().stream().map(ConfigAttribute::name).toList());
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueURL", URL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueURL");
    }

    @Test
    void aNameDescribedTwiceIsRefusedAndSettersFollowJavaBeans() {
        java.util.Map<String, ConfigAttribute> byName = new java.util.HashMap<>();
        ConfigAttribute.putUnique(byName, ConfigAttribute.QUEUE_URL);
        assertThatThrownBy(() -> ConfigAttribute.putUnique(byName, ConfigAttribute.QUEUE_URL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'queueUrl' is described twice");
        assertThat(ConfigAttribute.QUEUE_URL.setterName()).isEqualTo("setQueueUrl");
        assertThat(ConfigAttribute.S3_KEY_PREFIX.setterName()).isEqualTo("setS3KeyPrefix");
    }

    @Test
    void theConfigurationPageListsExactlyTheDescribedAttributesWithTheirDefaults() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "configuration.md"), StandardCharsets.UTF_8);
        assertThat(page).as("docs/configuration.md's table, regenerate from ConfigAttribute.markdownTable()")
                .contains(ConfigAttribute.markdownTable());
    }

    /** Each text rule: a value it accepts and one it refuses, with the problem the user sees. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "queueName|app-logs.fifo|app.logs|up to 80 characters",
        "queueOwnerAccountId|123456789012|1234567890123|12-digit",
        "region|ap-southeast-2|us_east_1|not an AWS region name",
        "roleArn|arn:aws:iam::123456789012:role/logs|iam::123456789012:role/logs|must be an IAM role ARN",
        "roleSessionName|spark-executor@7|a b|STS takes 2 to 64",
        "s3Bucket|my.log-bucket|-bucket|a bucket name is 3-63 characters",
        "s3KeyPrefix|logs/app/|logs/./app/|'.' or '..' segments",
    })
    void everyTextRuleAcceptsAndRefusesAsTheTableSays(String name, String good, String bad, String problem) {
        ConfigAttribute attribute = ConfigAttribute.named(name);
        assertThat(attribute.hasRule()).isTrue();
        assertThat(attribute.problemWith(good)).isNull();
        assertThat(attribute.problemWith(bad)).contains(problem);
        assertThat(attribute.validValues()).isNotEqualTo("any text");
        assertThat(ConfigAttribute.markdownTable()).contains("| `" + name + "` | " + attribute.defaultDoc() + " | "
                + attribute.validValues() + " |");
    }

    @Test
    void everyTextAttributeWithARuleIsListedAboveAndOnlyFreeTextSaysAnyText() {
        java.util.Set<String> ruled = java.util.Set.of("queueName", "queueOwnerAccountId", "region", "roleArn",
                "roleSessionName", "externalId", "s3Bucket", "s3KeyPrefix");
        assertThat(ConfigAttribute.all().stream().filter(ConfigAttribute::hasRule).map(ConfigAttribute::name))
                .containsExactlyInAnyOrderElementsOf(ruled);
        assertThat(ConfigAttribute.all().stream().filter(a -> a.validValues().equals("any text")).map(ConfigAttribute::name))
                .containsExactlyInAnyOrder("profile", "clientFactory", "messageGroupId");
    }

    @Test
    void aSecretBreakingItsRuleIsReportedByLengthOnly() {
        assertThat(ConfigAttribute.EXTERNAL_ID.problemWith("has space")).contains("STS takes 2 to 1224");
        assertThat(ConfigAttribute.EXTERNAL_ID.shown("has space")).isEqualTo("(hidden, 9 characters)");
        assertThat(ConfigAttribute.QUEUE_NAME.shown("a b")).isEqualTo("a b");
    }
}
