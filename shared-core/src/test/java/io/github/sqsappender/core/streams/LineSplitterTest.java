package io.github.sqsappender.core.streams;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineSplitterTest {

    private final List<String> lines = new ArrayList<>();
    private final LineSplitter splitter = new LineSplitter(StandardCharsets.UTF_8, lines::add);

    private void write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        splitter.write(bytes, 0, bytes.length);
    }

    @Test
    void aLongLineGrowsTheBufferOnlyUntilItEnds() {
        byte[] longLine = ("x".repeat(60_000) + "\n").getBytes(StandardCharsets.UTF_8);
        splitter.write(longLine, 0, longLine.length - 1);
        assertThat(splitter.capacity()).isGreaterThan(LineSplitter.MAX_KEPT_BYTES);
        splitter.write(longLine, longLine.length - 1, 1);
        assertThat(lines).singleElement().satisfies(l -> assertThat(l).hasSize(60_000));
        assertThat(splitter.capacity()).as("back to a small buffer").isLessThanOrEqualTo(LineSplitter.MAX_KEPT_BYTES);
        splitter.write(longLine, 0, 100);
        splitter.flushPartial();
        assertThat(lines).hasSize(2).last().satisfies(l -> assertThat(l).hasSize(100));
    }

    @Test
    void cutsAtLineFeedsDropsACarriageReturnBeforeOneAndSkipsEmptyLines() {
        write("a\nb\r\n\n\r\nc\rd\n");
        assertThat(lines).containsExactly("a", "b", "c\rd");
    }

    @Test
    void joinsChunksThatSplitLinesAndCharacters() {
        byte[] bytes = "héllo wörld\nzweite Zeile é\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            splitter.write(bytes, i, 1); // one byte at a time: every character split
        }
        assertThat(lines).containsExactly("héllo wörld", "zweite Zeile é");
    }

    @Test
    void anAsciiStreamIsDecodedAsUtf8SoWhatAChildPrintedInUtf8StaysReadable() {
        assertThat(LineSplitter.decodingFor(StandardCharsets.US_ASCII)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(LineSplitter.decodingFor(java.nio.charset.Charset.forName("ANSI_X3.4-1968"))).isEqualTo(StandardCharsets.UTF_8);
        assertThat(LineSplitter.decodingFor(StandardCharsets.ISO_8859_1)).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(LineSplitter.decodingFor(StandardCharsets.UTF_8)).isEqualTo(StandardCharsets.UTF_8);
        List<String> decoded = new ArrayList<>();
        LineSplitter ascii = new LineSplitter(LineSplitter.decodingFor(StandardCharsets.US_ASCII), decoded::add);
        byte[] bytes = "café \u2713\n".getBytes(StandardCharsets.UTF_8);
        ascii.write(bytes, 0, bytes.length);
        ascii.write(new byte[] {'x', (byte) 0xFF, '\n'}, 0, 3);
        assertThat(decoded).containsExactly("café \u2713", "x\uFFFD");
    }

    @Test
    void malformedInputBecomesTheReplacementCharacter() {
        splitter.write(new byte[] {'a', (byte) 0xC3, 'b', (byte) 0xFF, '\n'}, 0, 5);
        assertThat(lines).containsExactly("a\uFFFDb\uFFFD");
    }

    @Test
    void aPartialLineWaitsForItsEndOrAFlush() {
        write("no end yet");
        assertThat(lines).isEmpty();
        assertThat(splitter.hasPartial()).isTrue();
        splitter.flushPartial();
        assertThat(lines).containsExactly("no end yet");
        splitter.flushPartial();
        assertThat(lines).hasSize(1);
    }

    @Test
    void aLongLineIsEmittedInPiecesOfAtMost64KibCutOnCharacterBoundaries() {
        String line = "é".repeat(LineSplitter.MAX_LINE_BYTES); // two bytes each: 128 KiB
        write(line + "\n");
        assertThat(lines).hasSizeGreaterThan(1);
        assertThat(String.join("", lines)).isEqualTo(line);
        assertThat(lines).allSatisfy(piece -> {
            assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LineSplitter.MAX_LINE_BYTES);
            assertThat(piece).doesNotContain("\uFFFD");
        });
    }
}
