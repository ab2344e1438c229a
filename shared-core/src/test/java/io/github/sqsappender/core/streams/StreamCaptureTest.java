package io.github.sqsappender.core.streams;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One capture per stream per JVM: a second appender is refused, the same appender's successor takes over. */
class StreamCaptureTest {

    private final PrintStream before = System.out;
    private final List<String> first = new CopyOnWriteArrayList<>();
    private final List<String> second = new CopyOnWriteArrayList<>();
    private final CaptureOwner a = new CaptureOwner("A", (s, line, t, ms) -> first.add(line));

    @AfterEach
    void restore() {
        StreamCapture.release(StandardStream.STDOUT, a);
        System.setOut(before);
    }

    /** A console that counts its flushes, and fails every write once it is "closed" (a reader that went away). */
    private static final class Console extends java.io.OutputStream {
        final java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        int flushes;
        volatile boolean closed;

        @Override
        public void write(int b) throws java.io.IOException {
            if (closed) {
                throw new java.io.IOException("Broken pipe");
            }
            written.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    void singleBytesReachTheConsoleAsTheReplacedStreamTakesThemFlushedAtALineBreakOnly() {
        Console console = new Console();
        System.setOut(new PrintStream(console, true));
        StreamCapture.acquire(StandardStream.STDOUT, a);
        for (byte b : "ab".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
            System.out.write(b);
        }
        assertThat(console.flushes).as("no flush per byte").isZero();
        System.out.write('\n');
        assertThat(console.flushes).isEqualTo(1);
        assertThat(console.written.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ab\n");
        assertThat(first).containsExactly("ab");
        System.out.write(new byte[] {'c'}, 0, 1); // an array write is flushed, as the replaced stream flushes it
        assertThat(console.flushes).isEqualTo(2);
    }

    @Test
    void checkErrorSaysWhatTheReplacedStreamSaysSoAProgramNoticesItsReaderWentAway() {
        Console console = new Console();
        System.setOut(new PrintStream(console, true));
        StreamCapture.acquire(StandardStream.STDOUT, a);
        System.out.println("read");
        assertThat(System.out.checkError()).isFalse();
        console.closed = true; // `java App | head`: head exited
        System.out.println("nobody reads this");
        assertThat(System.out.checkError()).isTrue();
        assertThat(first).containsExactly("read", "nobody reads this"); // shipped all the same
    }

    @Test
    void aSameNamedAppenderOfAnotherLoggingContextGetsTheErrorASecondAppenderGets() {
        Object webAppOne = new Object();
        Object webAppTwo = new Object();
        CaptureOwner one = new CaptureOwner("SQS", webAppOne, (s, line, t, ms) -> first.add(line), null, n -> { });
        CaptureOwner two = new CaptureOwner("SQS", webAppTwo, (s, line, t, ms) -> second.add(line), null, n -> { });
        CaptureOwner successor = new CaptureOwner("SQS", webAppOne, (s, line, t, ms) -> second.add(line), null, n -> { });
        StreamCapture.acquire(StandardStream.STDOUT, one);
        try {
            assertThatThrownBy(() -> StreamCapture.acquire(StandardStream.STDOUT, two))
                .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("captureStreams=stdout").hasMessageContaining("'SQS'");
            System.out.println("still the first web application's");
            assertThat(first).containsExactly("still the first web application's");
            assertThat(second).isEmpty();

            // The same context's successor (a reconfiguration) takes it over, as before.
            StreamCapture.acquire(StandardStream.STDOUT, successor);
            System.out.println("the successor's");
            assertThat(second).containsExactly("the successor's");
        } finally {
            StreamCapture.release(StandardStream.STDOUT, successor);
            StreamCapture.release(StandardStream.STDOUT, one);
        }
    }

    @Test
    void aSecondAppenderAskingForACapturedStreamGetsAnErrorNamingCaptureStreams() {
        StreamCapture.acquire(StandardStream.STDOUT, a);
        CaptureOwner other = new CaptureOwner("B", (s, line, t, ms) -> second.add(line));
        assertThatThrownBy(() -> StreamCapture.acquire(StandardStream.STDOUT, other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("captureStreams=stdout").hasMessageContaining("'A'");
        System.out.println("still A's");
        assertThat(first).containsExactly("still A's");
        assertThat(second).isEmpty();
    }

    @Test
    void anAppenderOfAnotherNameTakesOverOnlyFromOneItsReconfigurationReplaces() {
        StreamCapture.acquire(StandardStream.STDOUT, a);
        CaptureOwner renamed = new CaptureOwner("A-renamed", (s, line, t, ms) -> second.add(line));
        assertThatThrownBy(() -> StreamCapture.acquire(StandardStream.STDOUT, renamed, name -> false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("captureStreams=stdout");
        StreamCapture.acquire(StandardStream.STDOUT, renamed, name -> name.equals("A"));
        StreamCapture.release(StandardStream.STDOUT, a); // the replaced one stops after: changes nothing
        System.out.println("to the renamed one");
        assertThat(first).isEmpty();
        assertThat(second).containsExactly("to the renamed one");
        StreamCapture.release(StandardStream.STDOUT, renamed);
        assertThat(System.out).isSameAs(before);
    }

    @Test
    void theSameAppendersSuccessorTakesOverWithoutLosingOrDoublingALineAndTheLastReleaseRestores() {
        StreamCapture.acquire(StandardStream.STDOUT, a);
        PrintStream capturing = System.out;
        System.out.print("begun by the old ");
        CaptureOwner successor = new CaptureOwner("A", (s, line, t, ms) -> second.add(line));
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

    @Test
    void aHeldCaptureKeepsWhatIsPrintedForTheNextAppenderWhateverItsName() throws InterruptedException {
        StreamCapture.acquire(StandardStream.STDOUT, a);
        PrintStream capturing = System.out;
        System.out.print("partial of the old");
        StreamCapture.hold(StandardStream.STDOUT, a); // a reset: the old appender stops first
        assertThat(first).containsExactly("partial of the old");
        assertThat(System.out).isSameAs(capturing);
        System.out.println("between reset and configure");
        Thread expiry = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("sqs-appender-capture-hold-stdout") && t.isAlive()).findFirst().orElseThrow();
        CaptureOwner next = new CaptureOwner("renamed", (s, line, t, ms) -> second.add(line));
        StreamCapture.acquire(StandardStream.STDOUT, next);
        expiry.join(5_000);
        assertThat(expiry.isAlive()).as("the hold's thread ends when a successor takes the capture").isFalse();
        System.out.println("after");
        assertThat(second).containsExactly("between reset and configure", "after");
        assertThat(first).containsExactly("partial of the old");
        StreamCapture.release(StandardStream.STDOUT, next);
        assertThat(System.out).isSameAs(before);
    }

    @Test
    void aHoldNobodyTakesIsReleasedAndTheStreamRestored() throws InterruptedException {
        StreamCapture.acquire(StandardStream.STDOUT, a);
        StreamCapture.hold(StandardStream.STDOUT, a, 50);
        Thread expiry = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("sqs-appender-capture-hold-stdout")).findFirst().orElseThrow();
        expiry.join(10_000);
        assertThat(expiry.isAlive()).isFalse();
        assertThat(System.out).isSameAs(before);
        assertThat(StreamCapture.isCaptured(StandardStream.STDOUT)).isFalse();
    }

    private static Thread holdExpiryThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("sqs-appender-capture-hold-stdout") && t.isAlive()).findFirst().orElseThrow();
    }

    @Test
    void linesPastAHoldsBoundsAreCountedAsLostToTheAppenderThatTakesTheCapture() {
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream(), true)); // the console, here
        StreamCapture.acquire(StandardStream.STDOUT, a);
        StreamCapture.hold(StandardStream.STDOUT, a, 600_000);
        for (int i = 0; i < StreamCapture.MAX_HELD_LINES + 7; i++) {
            System.out.println("held " + i);
        }
        AtomicLong lost = new AtomicLong();
        CaptureOwner next = new CaptureOwner("A", (s, line, t, ms) -> second.add(line), null, lost::addAndGet);
        StreamCapture.acquire(StandardStream.STDOUT, next);
        assertThat(second).hasSize(StreamCapture.MAX_HELD_LINES).startsWith("held 0");
        assertThat(lost.get()).as("past the bounds: counted, not silently gone").isEqualTo(7);
        StreamCapture.release(StandardStream.STDOUT, next);
    }

    @Test
    void aHoldNobodyTakesCountsWhatItKeptAsLostToTheAppenderThatHeldIt() throws InterruptedException {
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream(), true));
        PrintStream console = System.out;
        AtomicLong lost = new AtomicLong();
        CaptureOwner holder = new CaptureOwner("H", (s, line, t, ms) -> first.add(line), null, lost::addAndGet);
        StreamCapture.acquire(StandardStream.STDOUT, holder);
        StreamCapture.hold(StandardStream.STDOUT, holder, 600_000);
        System.out.println("one");
        System.out.println("two");
        System.out.println("three");
        Thread expiry = holdExpiryThread();
        expiry.interrupt(); // ends the hold now, as its time running out would
        expiry.join(10_000);
        assertThat(expiry.isAlive()).isFalse();
        assertThat(lost.get()).isEqualTo(3);
        assertThat(first).isEmpty();
        assertThat(System.out).isSameAs(console);
    }

    @Test
    void whatTheAppenderReportsWhileTakingALineIsNotCapturedAgain() {
        // As a Logback status listener prints the appender's report on System.out: without the
        // guard, each report would be a captured line, whose taking reports again, without end.
        CaptureOwner reporting = new CaptureOwner("R", (s, line, t, ms) -> {
            first.add(line);
            StreamCapture.uncaptured(() -> {
                System.out.println("report about " + line);
                return null;
            });
        });
        StreamCapture.acquire(StandardStream.STDOUT, reporting);
        try {
            System.out.println("printed");
            assertThat(first).containsExactly("printed");
        } finally {
            StreamCapture.release(StandardStream.STDOUT, reporting);
        }
    }

    @Test
    void aThreadsUnendedLineIsShippedAtReleaseUnderItsNameAlsoAfterTheThreadEnded() throws InterruptedException {
        List<String> names = new CopyOnWriteArrayList<>();
        CaptureOwner named = new CaptureOwner("N", (s, line, t, ms) -> {
            first.add(line);
            names.add(t);
        });
        System.setOut(new PrintStream(new java.io.ByteArrayOutputStream(), true));
        StreamCapture.acquire(StandardStream.STDOUT, named);
        try {
            Thread printer = new Thread(() -> System.out.print("progress: 40%"), "task-7");
            printer.start();
            printer.join(10_000);
            assertThat(printer.isAlive()).isFalse();
            printer = null;
            System.gc(); // the ended thread's entry may go; its unended line must not
        } finally {
            StreamCapture.release(StandardStream.STDOUT, named);
        }
        assertThat(first).containsExactly("progress: 40%");
        assertThat(names).containsExactly("task-7");
    }

    @Test
    void aReleasedCaptureLeavesNothingInTheThreadsThatPrintedSoAnUndeployedApplicationsLoaderIsCollected() throws Exception {
        // A web application's copy of the library, in a loader of its own, captures while a pooled
        // thread (here the test's) prints; after its stop and undeploy nothing may pin that loader.
        System.setOut(new PrintStream(new java.io.ByteArrayOutputStream(), true));
        java.lang.ref.WeakReference<ClassLoader> undeployed = printWhileAnIsolatedCopyCaptures();
        for (int i = 0; i < 10 && undeployed.get() != null; i++) {
            System.gc(); // a full collection, which clears weak references, before it returns
        }
        assertThat(undeployed.get()).as("the isolated copy's class loader was collected").isNull();
    }

    private static java.lang.ref.WeakReference<ClassLoader> printWhileAnIsolatedCopyCaptures() throws Exception {
        java.net.URL classes = StreamCapture.class.getProtectionDomain().getCodeSource().getLocation();
        try (java.net.URLClassLoader isolated = new java.net.URLClassLoader(new java.net.URL[] {classes},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> streamType = isolated.loadClass(StandardStream.class.getName());
            Class<?> sinkType = isolated.loadClass(LineSink.class.getName());
            Class<?> ownerType = isolated.loadClass(CaptureOwner.class.getName());
            Class<?> captureType = isolated.loadClass(StreamCapture.class.getName());
            assertThat(captureType).isNotSameAs(StreamCapture.class);
            Object stdout = streamType.getField("STDOUT").get(null);
            List<String> lines = new CopyOnWriteArrayList<>();
            Object sink = java.lang.reflect.Proxy.newProxyInstance(isolated, new Class<?>[] {sinkType}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "line" -> lines.add((String) args[1]);
                    case "equals" -> { return proxy == args[0]; }
                    case "hashCode" -> { return System.identityHashCode(proxy); }
                    case "toString" -> { return "sink"; }
                    default -> { }
                }
                return null;
            });
            Object owner = ownerType.getConstructor(String.class, sinkType).newInstance("isolated", sink);
            captureType.getMethod("acquire", streamType, ownerType).invoke(null, stdout, owner);
            System.out.println("a line");
            System.out.print("an unended line");
            captureType.getMethod("release", streamType, ownerType).invoke(null, stdout, owner);
            assertThat(lines).containsExactly("a line", "an unended line");
            return new java.lang.ref.WeakReference<>(isolated);
        }
    }
}
