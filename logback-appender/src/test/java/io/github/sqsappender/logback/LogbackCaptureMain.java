package io.github.sqsappender.logback;

import io.github.sqsappender.core.testing.PrintingProgram;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.URL;

/**
 * Run in a child JVM with {@code logback-capture.xml}: prints as programs do (println, pieces, CRLF,
 * empty lines, 1,024-byte raw chunks of multi-byte text from a "stderr reader" thread, four threads
 * at once), logs through console appenders that write to the captured streams, reconfigures in the
 * middle (printing while no appender is configured), and ends with {@code args[0]}: {@code stop} (Logback stopped; prints whether the JVM's
 * streams are back and open) or {@code exit} (main returns with a partial line pending).
 */
public final class LogbackCaptureMain {

    public static void main(String[] args) throws Exception {
        PrintStream jvmOut = System.out;
        PrintStream jvmErr = System.err;
        Logger log = LoggerFactory.getLogger("com.example.Capture");
        PrintingProgram.printAll(() -> log.info("logged-in-toString"));
        log.info("logged-1");

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        URL config = LogbackCaptureMain.class.getClassLoader().getResource("logback-capture.xml");
        context.reset(); // as a reconfiguration does: the old appender stops, then the new one starts
        System.out.println("while-reconfiguring"); // no appender now: kept for the next one
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
}
