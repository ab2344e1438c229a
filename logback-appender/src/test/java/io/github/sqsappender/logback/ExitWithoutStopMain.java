package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.github.sqsappender.core.testing.JvmShutdownHookProbe;
import org.slf4j.LoggerFactory;

/**
 * Run in a child JVM. Configures Logback as Spring Boot does (reset the context, then run Joran on
 * the configuration file {@code args[2]}), logs {@code args[0]} events and ends without stopping
 * Logback: by {@code System.exit(0)} when {@code args[1]} is {@code exit}, by returning from
 * {@code main} when it is {@code return}. Only a JVM shutdown hook can deliver the events. With
 * {@code args[3]} above 0, the application's own shutdown hook logs that many more events
 * ({@code hook-N}) after 50 ms of other work, as a closing Spring context or Spark's hook does; and
 * {@code main} flushes first, so that the appender holds nothing when the JVM begins to exit.
 * {@code args[4]}, if given, is how long that hook works before it logs (default 50 ms).
 */
public final class ExitWithoutStopMain {

    public static void main(String[] args) throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(ExitWithoutStopMain.class.getClassLoader().getResource(args[2]));
        int count = Integer.parseInt(args[0]);
        if (args.length > 3) {
            io.github.sqsappender.core.testing.LoggingShutdownHook.register(Integer.parseInt(args[3]),
                    args.length > 4 ? Long.parseLong(args[4]) : 50, i -> LoggerFactory.getLogger("com.example.Exit").info("hook-{}", i));
        }
        for (int i = 0; i < count; i++) {
            LoggerFactory.getLogger("com.example.Exit").info("exit-{}", i);
        }
        if (args.length > 3 && Integer.parseInt(args[3]) > 0) {
            System.out.println("flushed=" + SqsAppender.flushAll(30_000));
        }
        System.out.println("servlet-api=" + isPresent("jakarta.servlet.Servlet"));
        System.out.println("sqs-exit-hooks=" + JvmShutdownHookProbe.count("sqs-appender-"));
        System.out.println("exit-at=" + System.currentTimeMillis());
        if (args[1].equals("exit")) {
            System.exit(0);
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, ExitWithoutStopMain.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
