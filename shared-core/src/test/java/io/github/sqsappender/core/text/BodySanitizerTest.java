package io.github.sqsappender.core.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BodySanitizerTest {

    @Test
    void returnsTheSameInstanceWhenNothingNeedsReplacing() {
        String clean = "plain ascii, tabs\tnewlines\n, é, 中文, emoji 😀, U+FFFD \uFFFD";
        assertThat(BodySanitizer.sanitize(clean)).isSameAs(clean);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u001b", "\u0001", "\u001f", "\uFFFE", "\uFFFF", "\uD800", "\uDC00"})
    void replacesEachCharacterSqsRejects(String bad) {
        assertThat(BodySanitizer.sanitize("a" + bad + "b")).isEqualTo("a\uFFFDb");
    }

    @Test
    void replacesAnsiEscapeButKeepsTheRestOfTheColourCode() {
        assertThat(BodySanitizer.sanitize("\u001b[31mred\u001b[0m")).isEqualTo("\uFFFD[31mred\uFFFD[0m");
    }

    @Test
    void keepsValidSurrogatePairsAndReplacesLoneOnes() {
        assertThat(BodySanitizer.sanitize("😀\uD83D")).isEqualTo("😀\uFFFD");
        assertThat(BodySanitizer.sanitize("\uDE00😀")).isEqualTo("\uFFFD😀");
        assertThat(BodySanitizer.sanitize("x\uD83Dy")).isEqualTo("x\uFFFDy");
    }

    @Test
    void keepsTabCarriageReturnAndLineFeed() {
        assertThat(BodySanitizer.sanitize("\t\r\n")).isEqualTo("\t\r\n");
    }
}
