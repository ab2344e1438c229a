package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.slf4j.LoggerFactory;

/** Run in a child JVM: configures Logback without a shutdown hook, logs, and exits without stopping. */
public final class ExitWithoutStopMain {

    public static void main(String[] args) throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(ExitWithoutStopMain.class.getClassLoader().getResource("logback-exit.xml"));
        int count = Integer.parseInt(args[0]);
        for (int i = 0; i < count; i++) {
            LoggerFactory.getLogger("com.example.Exit").info("exit-{}", i);
        }
        System.exit(0); // no ctx.stop(): only a JVM shutdown hook can deliver these
    }
}
