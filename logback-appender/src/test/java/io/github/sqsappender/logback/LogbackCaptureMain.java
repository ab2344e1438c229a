package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM with {@code logback-capture.xml}: prints as programs do (println, pieces, CRLF,
 * empty lines, 1,024-byte raw chunks of multi-byte text from a "stderr reader" thread, four threads
 * at once), logs through console appenders that write to the captured streams, reconfigures in the
 * middle, and ends with {@code args[0]}: {@code stop} (Logback stopped; prints whether the JVM's
 * streams are back and open) or {@code exit} (main returns with a partial line pending).
 */
public final class LogbackCaptureMain {

    static final int THREADS = 4;
    static final int LINES_PER_THREAD = 500;
    static final int CHUNKED_LINES = 2_000;

    public static void main(String[] args) throws Exception {
        PrintStream jvmOut = System.out;
        PrintStream jvmErr = System.err;
        Logger log = LoggerFactory.getLogger("com.example.Capture");
        System.out.println("out-1");
        System.err.println("err-1");
        System.out.print("piece-");
        System.out.print("by-");
        System.out.println("piece");
        System.out.print("crlf-line\r\n\n\r\n");
        log.info("logged-1");

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

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        URL config = LogbackCaptureMain.class.getClassLoader().getResource("logback-capture.xml");
        context.reset(); // as a reconfiguration does: the old appender stops, then the new one starts
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
        System.out.println("after-reconfigure");
        log.info("logged-2");
        System.err.print("partial-tail");

        if (args[0].equals("stop")) {
            context.stop();
            jvmOut.println("out-restored=" + (System.out == jvmOut));
            jvmOut.println("err-restored=" + (System.err == jvmErr));
            jvmErr.println("err-still-open");
            jvmOut.println("err-error=" + jvmErr.checkError());
        }
        jvmOut.println("exit-at=" + System.currentTimeMillis());
    }

    static String chunkedText() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < CHUNKED_LINES; i++) {
            b.append("py-").append(i).append(" héllo wörld ").append("é".repeat(i % 7)).append('\n');
        }
        return b.toString();
    }

    /** Every body the appender must ship for one run: {@code logger|level|thread|line}. */
    static List<String> expectedBodies() {
        List<String> bodies = new ArrayList<>(List.of(
                "stdout|INFO|main|out-1", "stderr|ERROR|main|err-1", "stdout|INFO|main|piece-by-piece",
                "stdout|INFO|main|crlf-line", "com.example.Capture|INFO|main|logged-1",
                "stdout|INFO|main|after-reconfigure", "com.example.Capture|INFO|main|logged-2",
                "stderr|ERROR|main|partial-tail"));
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
