package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.testing.PrintingProgram;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

import java.io.PrintStream;

/**
 * Run in a child JVM with {@code log4j2-capture.xml}: prints in every way programs do — println,
 * pieces of a line, CRLF, empty lines, multi-byte characters in 1,024-byte raw chunks from a
 * "stderr reader" thread as PySpark's {@code RedirectThread} copies a worker's output, many threads
 * at once — logs through loggers whose console appenders write to the captured streams, reconfigures
 * in the middle (from {@code -Dcapture.reconfigureTo} when given), and ends with {@code args[0]}: {@code stop} (Log4j2 stopped; prints whether the
 * JVM's streams are back and open) or {@code exit} (main returns with a partial line pending).
 */
public final class CaptureMain {

    public static void main(String[] args) throws Exception {
        PrintStream jvmOut = System.out;
        PrintStream jvmErr = System.err;
        Logger log = LogManager.getLogger("com.example.Capture");
        PrintingProgram.printAll(() -> log.info("logged-in-toString"));
        log.info("logged-1");

        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        String to = System.getProperty("capture.reconfigureTo");
        if (to == null) {
            context.reconfigure(); // the new <Sqs> takes the capture over from the old one
        } else {
            context.setConfigLocation(java.nio.file.Path.of(to).toUri()); // another file: a renamed <Sqs>
        }
        System.out.println("after-reconfigure");
        log.info("logged-2");
        System.err.print("partial-tail");

        if (args[0].equals("stop")) {
            Configurator.shutdown(context);
            jvmOut.println("out-restored=" + (System.out == jvmOut));
            jvmOut.println("err-restored=" + (System.err == jvmErr));
            jvmErr.println("err-still-open");
            jvmOut.println("err-error=" + jvmErr.checkError());
        }
        jvmOut.println("exit-at=" + System.currentTimeMillis());
    }
}
