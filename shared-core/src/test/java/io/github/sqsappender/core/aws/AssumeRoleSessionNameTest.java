package io.github.sqsappender.core.aws;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The session name used when none is configured is one STS accepts, whatever the appender's name. */
class AssumeRoleSessionNameTest {

    @Test
    void theAppendersNameIsKeptWhereStsAllowsIt() {
        assertThat(AssumeRole.defaultSessionName("SQS")).isEqualTo("sqs-appender-SQS");
        assertThat(AssumeRole.defaultSessionName("a.b@c=d,e+f_g")).isEqualTo("sqs-appender-a.b@c=d,e+f_g");
    }

    @Test
    void otherCharactersBecomeDashesAndTheNameIsCutAtSixtyFourCharacters() {
        assertThat(AssumeRole.defaultSessionName("my app/Ω")).isEqualTo("sqs-appender-my-app--");
        String cut = AssumeRole.defaultSessionName("x".repeat(100));
        assertThat(cut).hasSize(64).startsWith("sqs-appender-x").matches("[\\w+=,.@-]{2,64}");
    }
}
