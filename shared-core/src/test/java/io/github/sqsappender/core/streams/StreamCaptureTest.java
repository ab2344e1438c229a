package io.github.sqsappender.core.streams;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One capture per stream per JVM: a second appender is refused, the same appender's successor takes over. */
class StreamCaptureTest {

    private final PrintStream before = System.out;
    private final List<String> first = new CopyOnWriteArrayList<>();
    private final List<String> second = new CopyOnWriteArrayList<>();
    private final StreamCapture.Owner a = new StreamCapture.Owner("A", (s, line, t, ms) -> first.add(line));

    @AfterEach
    void restore() {
        StreamCapture.release(StandardStream.STDOUT, a);
        System.setOut(before);
    }

    @Test
    void aSecondAppenderAskingForACapturedStreamGetsAnErrorNamingCaptureStreams() {
        StreamCapture.acquire(StandardStream.STDOUT, a);
        StreamCapture.Owner other = new StreamCapture.Owner("B", (s, line, t, ms) -> second.add(line));
        assertThatThrownBy(() -> StreamCapture.acquire(StandardStream.STDOUT, other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("captureStreams=stdout").hasMessageContaining("'A'");
        System.out.println("still A's");
        assertThat(first).containsExactly("still A's");
        assertThat(second).isEmpty();
    }

    @Test
    void theSameAppendersSuccessorTakesOverWithoutLosingOrDoublingALineAndTheLastReleaseRestores() {
        StreamCapture.acquire(StandardStream.STDOUT, a);
        PrintStream capturing = System.out;
        System.out.print("begun by the old ");
        StreamCapture.Owner successor = new StreamCapture.Owner("A", (s, line, t, ms) -> second.add(line));
        StreamCapture.acquire(StandardStream.STDOUT, successor);
        System.out.println("appender");
        StreamCapture.release(StandardStream.STDOUT, a); // the old one stops after: changes nothing
        assertThat(System.out).isSameAs(capturing);
        System.out.println("next");
        assertThat(first).isEmpty();
        assertThat(second).containsExactly("begun by the old appender", "next");
        System.out.print("tail");
        StreamCapture.release(StandardStream.STDOUT, successor);
        assertThat(second).containsExactly("begun by the old appender", "next", "tail");
        assertThat(System.out).isSameAs(before);
        assertThat(StreamCapture.isCaptured(StandardStream.STDOUT)).isFalse();
    }

    @Test
    void aStreamReplacedByOthersWhileCapturedIsLeftInPlaceAndClosingTheCaptureLeavesTheOriginalOpen() {
        StreamCapture.acquire(StandardStream.STDOUT, a);
        PrintStream capturing = System.out;
        PrintStream someoneElse = new PrintStream(capturing, true);
        System.setOut(someoneElse);
        StreamCapture.release(StandardStream.STDOUT, a);
        assertThat(System.out).isSameAs(someoneElse);
        capturing.close(); // as Log4j2 closes a stream that is not the current System.out
        assertThat(before.checkError()).isFalse();
    }
}
