package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsPipeline;
import io.github.sqsappender.core.StatusPort;

/**
 * Runs in a child JVM whose class path lacks software.amazon.awssdk:s3: an appender configured with
 * {@code args[0]=s3} must fail to build with an error naming the attribute, and one without it must
 * build and stop normally. Prints {@code s3Error=...} and {@code plain=ok}.
 */
public final class WithoutS3ModuleMain {

    public static void main(String[] args) throws Exception {
        StatusPort quiet = new StatusPort() {
            @Override public void info(String message) { }
            @Override public void warn(String message, Throwable cause) { }
            @Override public void error(String message, Throwable cause) { }
        };
        try {
            Class.forName("software.amazon.awssdk.services.s3.S3AsyncClient");
            System.out.println("s3Present=true");
        } catch (ClassNotFoundException expected) {
            System.out.println("s3Present=false");
        }
        SqsAppenderConfig withS3 = SqsAppenderConfig.builder("child").set("queueUrl", "http://127.0.0.1:1/000000000000/q")
                .set(args[0], "s3").set("s3Bucket", "logs-bucket").set("jmx", "false").build();
        try {
            SqsPipeline.create(withS3, quiet);
            System.out.println("s3Error=none");
        } catch (IllegalStateException e) {
            System.out.println("s3Error=" + e.getMessage());
        }
        SqsAppenderConfig plain = SqsAppenderConfig.builder("plain").set("queueUrl", "http://127.0.0.1:1/000000000000/q")
                .set("jmx", "false").build();
        SqsPipeline pipeline = SqsPipeline.create(plain, quiet);
        pipeline.start();
        pipeline.stop(100);
        System.out.println("plain=ok");
    }
}
