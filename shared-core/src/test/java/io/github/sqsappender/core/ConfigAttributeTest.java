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

/** The attribute descriptors drive the parser and the README; these tests keep them honest. */
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
    void namesAreUniqueAndSettersFollowJavaBeans() {
        assertThat(ConfigAttribute.all()).extracting(ConfigAttribute::name).doesNotHaveDuplicates();
        assertThat(ConfigAttribute.QUEUE_URL.setterName()).isEqualTo("setQueueUrl");
        assertThat(ConfigAttribute.S3_KEY_PREFIX.setterName()).isEqualTo("setS3KeyPrefix");
    }

    @Test
    void readmeConfigurationTableListsExactlyTheDescribedAttributesWithTheirDefaults() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(readme).as("README's configuration table, regenerate from ConfigAttribute.markdownTable()")
                .contains(ConfigAttribute.markdownTable());
    }
}
