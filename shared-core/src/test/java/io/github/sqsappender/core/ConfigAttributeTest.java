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
}
