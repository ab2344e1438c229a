package io.github.sqsappender.all;

/**
 * Runs in a child JVM whose class path is the {@code sqs-appender-all} jar, one logging framework
 * and slf4j-api: logs {@code args[0]} lines through SLF4J ({@code args[1]=slf4j}, for Logback) or
 * the Log4j2 API ({@code log4j2}), then one line of {@code args[2]} characters if given, and
 * returns from {@code main} without stopping anything. Looks
 * the framework up by name, so it compiles against neither.
 */
public final class OneJarMain {

    private OneJarMain() {
    }

    public static void main(String[] args) throws Exception {
        int lines = Integer.parseInt(args[0]);
        Object logger;
        java.lang.reflect.Method info;
        if (args[1].equals("log4j2")) {
            logger = Class.forName("org.apache.logging.log4j.LogManager").getMethod("getLogger", String.class)
                    .invoke(null, "com.example.OneJar");
            info = Class.forName("org.apache.logging.log4j.Logger").getMethod("info", String.class);
        } else {
            logger = Class.forName("org.slf4j.LoggerFactory").getMethod("getLogger", String.class)
                    .invoke(null, "com.example.OneJar");
            info = Class.forName("org.slf4j.Logger").getMethod("info", String.class);
        }
        for (int i = 0; i < lines; i++) {
            info.invoke(logger, "one-jar line " + i);
        }
        if (args.length > 2) { // one event of args[2] characters, larger than a queue message
            info.invoke(logger, "L".repeat(Integer.parseInt(args[2])));
        }
        String appender = args[1].equals("log4j2") ? "io.github.sqsappender.log4j2.SqsAppender" : "io.github.sqsappender.logback.SqsAppender";
        System.out.println("appender-jar=" + Class.forName(appender).getProtectionDomain().getCodeSource().getLocation().getPath());
        java.lang.reflect.Method excluded = Class.forName("io.github.sqsappender.core.jvm.FeedbackGuard")
                .getMethod("isExcluded", String.class);
        for (String name : new String[] {"software.amazon.awssdk.request", "io.netty.channel.Pipeline",
            "io.github.sqsappender.shaded.software.amazon.awssdk.request", "io.github.sqsappender.shaded.io.netty.util.Leak",
            "com.example.OneJar"}) {
            System.out.println("excluded " + name + "=" + excluded.invoke(null, name));
        }
    }
}
