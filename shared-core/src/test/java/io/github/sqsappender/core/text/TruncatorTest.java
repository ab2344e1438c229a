package io.github.sqsappender.core.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TruncatorTest {

    @Test
    void utf8LengthMatchesTheJdkEncoder() {
        String s = "aé中😀\uFFFD";
        assertThat(Utf8.encodedLength(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void neverSplitsAnEmojiAtTheBoundary() {
        String body = "😀".repeat(1000); // 4000 bytes
        for (int limit = 100; limit < 140; limit++) {
            String cut = Truncator.truncate(body, Utf8.encodedLength(body), limit);
            assertThat(Utf8.encodedLength(cut)).isLessThanOrEqualTo(limit);
            assertThat(BodySanitizer.sanitize(cut)).isSameAs(cut); // no lone surrogate
            String kept = cut.substring(0, cut.indexOf("...[truncated"));
            assertThat(kept.codePoints()).allMatch(cp -> cp == "😀".codePointAt(0));
        }
    }

    @Test
    void neverSplitsTwoAndThreeByteCharacters() {
        String body = "é中".repeat(500);
        int total = Utf8.encodedLength(body);
        for (int limit = 60; limit < 70; limit++) {
            String cut = Truncator.truncate(body, total, limit);
            byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
            assertThat(bytes.length).isLessThanOrEqualTo(limit);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(cut);
        }
    }

    @Test
    void markerSaysExactlyHowManyBytesWereCut() {
        String body = "x".repeat(10_000);
        String cut = Truncator.truncate(body, 10_000, 1024);
        String kept = cut.substring(0, cut.indexOf("...[truncated"));
        assertThat(cut).endsWith("...[truncated " + (10_000 - kept.length()) + " bytes]");
        assertThat(Utf8.encodedLength(cut)).isLessThanOrEqualTo(1024);
    }

    @Test
    void returnsNullWhenEvenTheMarkerDoesNotFit() {
        assertThat(Truncator.truncate("x".repeat(100), 100, 5)).isNull();
    }
}
