package io.github.sqsappender.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a child JVM of the {@code captureStreams} suites prints, in every way programs print:
 * println, pieces of a line, CRLF and empty lines, multi-byte text in raw 1,024-byte chunks from a
 * "stderr reader" thread (as PySpark's {@code RedirectThread} copies a worker's output), and four
 * threads at once; and the bodies the appender must then ship ({@code logger|level|thread|line}).
 */
public final class PrintingProgram {

    static final int THREADS = 4;
    static final int LINES_PER_THREAD = 500;
    static final int CHUNKED_LINES = 2_000;

    private PrintingProgram() {
    }

    /**
     * Prints everything, on the calling thread ({@code main}) and the threads it starts; returns
     * when they are done. {@code logFromToString} logs {@code logged-in-toString} (logger
     * {@code com.example.Capture}, INFO): it runs inside a {@code printf}, as a {@code toString()}
     * that logs does (twice: once printed on each stream), so the console appenders write while the print is under way.
     */
    public static void printAll(Runnable logFromToString) throws InterruptedException {
        System.out.println("out-1");
        System.err.println("err-1");
        System.out.print("piece-");
        System.out.print("by-");
        System.out.println("piece");
        System.out.print("crlf-line\r\n\n\r\n");

        byte[] text = chunkedText().getBytes(StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            for (int off = 0; off < text.length; off += 1_024) {
                System.err.write(text, off, Math.min(1_024, text.length - off));
            }
            System.err.flush();
        }, "stderr reader for python3");
        reader.start();
        reader.join();

        List<Thread> printers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread printer = new Thread(() -> {
                for (int i = 0; i < LINES_PER_THREAD; i++) {
                    System.out.print("t" + id + "-");
                    System.out.print(i);
                    System.out.println();
                }
            }, "printer-" + t);
            printer.start();
            printers.add(printer);
        }
        for (Thread printer : printers) {
            printer.join();
        }

        // Last, so that what an asynchronous console appender writes cannot land inside a line
        // printed in pieces on the merged console output the suites check.
        Object logsWhenPrinted = new Object() {
            @Override
            public String toString() {
                logFromToString.run();
                return "a toString that logs";
            }
        };
        System.out.printf("printed %s, whole%n", logsWhenPrinted); // a console appender on System.out writes meanwhile
        System.err.printf("printed %s, whole%n", logsWhenPrinted); // one on System.err
    }

    /** Lines with two-byte characters, so 1,024-byte chunks cut both lines and characters. */
    static String chunkedText() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < CHUNKED_LINES; i++) {
            b.append("py-").append(i).append(" héllo wörld ").append("é".repeat(i % 7)).append('\n');
        }
        return b.toString();
    }

    /**
     * Every body one run must ship: what {@link #printAll} printed, the three lines the program logs
     * ({@code logged-1}, {@code logged-2} and {@code logged-in-toString} of logger {@code com.example.Capture}), {@code after-reconfigure}
     * printed after a reconfiguration, and {@code partial-tail} printed on stderr without an end.
     */
    public static List<String> expectedBodies() {
        List<String> bodies = new ArrayList<>(List.of(
                "stdout|INFO|main|out-1", "stderr|ERROR|main|err-1", "stdout|INFO|main|piece-by-piece",
                "stdout|INFO|main|crlf-line", "com.example.Capture|INFO|main|logged-1",
                "stdout|INFO|main|after-reconfigure", "com.example.Capture|INFO|main|logged-2",
                "stderr|ERROR|main|partial-tail", "stdout|INFO|main|printed a toString that logs, whole",
                "stderr|ERROR|main|printed a toString that logs, whole",
                "com.example.Capture|INFO|main|logged-in-toString", "com.example.Capture|INFO|main|logged-in-toString"));
        for (String line : chunkedText().split("\n")) {
            bodies.add("stderr|ERROR|stderr reader for python3|" + line);
        }
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < LINES_PER_THREAD; i++) {
                bodies.add("stdout|INFO|printer-" + t + "|t" + t + "-" + i);
            }
        }
        return bodies;
    }
}
