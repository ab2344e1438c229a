package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.testing.JvmShutdownHookProbe;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.util.Constants;

/**
 * Run in a child JVM (configured with {@code -Dlog4j2.configurationFile}): logs {@code args[0]}
 * events and ends without stopping Log4j2 — by {@code System.exit(0)} when {@code args[1]} is
 * {@code exit}, by returning from {@code main} when it is {@code return}. With {@code args[2]} =
 * {@code flush}, it first flushes, so nothing is buffered at exit. With {@code args[3]}, the
 * application's own shutdown hook logs that many more events ({@code hook-N}) after 50 ms of other
 * work, as a closing Spring context or Spark's hook does. With {@code -Dexit.reconfigureTo=FILE}, the
 * context is first reconfigured from that file. Prints what the test checks.
 */
public final class ExitMain {

    public static void main(String[] args) {
        String reconfigureTo = System.getProperty("exit.reconfigureTo");
        if (reconfigureTo != null) { // a second configuration, as a file-watch or a framework's refresh applies
            ((LoggerContext) LogManager.getContext(false)).setConfigLocation(java.nio.file.Path.of(reconfigureTo).toUri());
        }
        int count = Integer.parseInt(args[0]);
        Logger log = LogManager.getLogger("com.example.Exit");
        if (args.length > 3) {
            io.github.sqsappender.core.testing.LoggingShutdownHook.register(Integer.parseInt(args[3]),
                    i -> log.info("hook-{}", i));
        }
        for (int i = 0; i < count; i++) {
            log.info("exit-{}", i);
        }
        if (args.length > 2 && args[2].equals("flush")) {
            SqsAppender appender = ((LoggerContext) LogManager.getContext(false)).getConfiguration().getAppender("SQS");
            System.out.println("flushed=" + appender.flush(30_000));
        }
        System.out.println("webapp=" + Constants.IS_WEB_APP);
        System.out.println("sqs-exit-hooks=" + JvmShutdownHookProbe.count("sqs-appender-"));
        System.out.println("exit-at=" + System.currentTimeMillis());
        if (args[1].equals("exit")) {
            System.exit(0);
        }
    }
}
