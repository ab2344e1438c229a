package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsPipeline;
import io.github.sqsappender.core.StatusPort;

/**
 * Runs in a child JVM whose class path lacks one optional HTTP client: an appender configured with
 * {@code httpClient=args[0]} must fail to build with an error naming the attribute and the artifact,
 * and one on the default client must build and stop normally. Prints {@code error=...} and
 * {@code plain=ok}.
 */
public final class WithoutHttpClientModuleMain {

    public static void main(String[] args) throws Exception {
        StatusPort quiet = new StatusPort() {
            @Override public void info(String message) { }
            @Override public void warn(String message, Throwable cause) { }
            @Override public void error(String message, Throwable cause) { }
        };
        SqsAppenderConfig chosen = SqsAppenderConfig.builder("child").set("queueUrl", "http://127.0.0.1:1/000000000000/q")
                .set("httpClient", args[0]).set("jmx", "false").build();
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
