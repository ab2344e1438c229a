package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsPipeline;
import io.github.sqsappender.core.StatusPort;

/**
 * Runs in a child JVM whose class path lacks one optional module: an appender configured with
 * {@code args[0]=args[1]} (which needs that module) must fail to build with an error naming the
 * attribute, and one without it must build and stop normally. Prints {@code present=} (whether
 * class {@code args[2]} loads), {@code error=...} and {@code plain=ok}.
 */
public final class WithoutOptionalModuleMain {

    public static void main(String[] args) throws Exception {
        StatusPort quiet = new StatusPort() {
            @Override public void info(String message) { }
            @Override public void warn(String message, Throwable cause) { }
            @Override public void error(String message, Throwable cause) { }
        };
        try {
            Class.forName(args[2]);
            System.out.println("present=true");
        } catch (ClassNotFoundException expected) {
            System.out.println("present=false");
        }
        SqsAppenderConfig chosen = SqsAppenderConfig.builder("child").set("queueUrl", "http://127.0.0.1:1/000000000000/q")
                .set(args[0], args[1]).set("s3Bucket", "logs-bucket").set("jmx", "false").build();
        try {
            SqsPipeline.create(chosen, quiet);
            System.out.println("error=none");
        } catch (IllegalStateException e) {
            System.out.println("error=" + e.getMessage());
        }
        SqsAppenderConfig plain = SqsAppenderConfig.builder("plain").set("queueUrl", "http://127.0.0.1:1/000000000000/q")
                .set("jmx", "false").build();
        SqsPipeline pipeline = SqsPipeline.create(plain, quiet);
        pipeline.start();
        pipeline.stop(100);
        System.out.println("plain=ok");
    }
}
