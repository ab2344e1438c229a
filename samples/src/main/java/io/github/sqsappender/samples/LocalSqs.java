package io.github.sqsappender.samples;

import io.github.sqsappender.core.testing.EmbeddedSqs;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A local SQS to try the appenders and the command against, without AWS: an ElasticMQ server on
 * 127.0.0.1 with one queue, running until Ctrl-C (its queues live in memory). It accepts any keys.
 *
 * <pre>local-sqs.sh [--port 9324] [--queue logs]</pre>
 */
public final class LocalSqs implements AutoCloseable {

    static final String USAGE = "usage: local-sqs.sh [--port PORT] [--queue NAME]\n"
            + "  Runs an SQS server (ElasticMQ) on 127.0.0.1 with one queue until Ctrl-C; any AWS keys do.\n"
            + "  --port PORT   its port (default 9324)\n"
            + "  --queue NAME  the queue to create (default logs)\n"
            + "  --help        this text\n";

    private final EmbeddedSqs server;
    private final String queueUrl;

    private LocalSqs(EmbeddedSqs server, String queueUrl) {
        this.server = server;
        this.queueUrl = queueUrl;
    }

    /** Starts the server on {@code port} of 127.0.0.1 and creates {@code queue}. */
    static LocalSqs start(int port, String queue) {
        EmbeddedSqs server = EmbeddedSqs.startOn(port);
        try {
            return new LocalSqs(server, server.createQueue(queue));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    String queueUrl() {
        return queueUrl;
    }

    /** Stops the server; what its queues held is gone. */
    @Override
    public void close() {
        server.close();
    }

    /** What to run against {@code queueUrl}, printed at start. */
    static String instructions(String queueUrl) {
        return "local SQS (ElasticMQ) running; queue: " + queueUrl + "\n"
                + "In another terminal (any keys do here):\n"
                + "  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local\n"
                + "  java -jar " + cliJar() + " --queueUrl " + queueUrl
                + " -- python3 -c 'print(\"hello\")'\n"
                + "  ./tail.sh --queue-url " + queueUrl + " --follow\n"
                + "Ctrl-C stops it (its queues live in memory).\n";
    }

    /** The command's jar as a build from this checkout leaves it, or how to build it. */
    private static String cliJar() {
        java.io.File[] jars = new java.io.File("cli/target").listFiles((dir, name) -> name.matches("sqs-appender-cli-[0-9][^-]*(-SNAPSHOT)?\\.jar"));
        return jars != null && jars.length == 1 ? "cli/target/" + jars[0].getName()
                : "cli/target/sqs-appender-cli-VERSION.jar (mvn -B -ntp -pl cli -am package -DskipTests)";
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) { // not the demo's logback.xml: see tools-logback.xml
            System.setProperty("logback.configurationFile", "tools-logback.xml");
        }
        Args a;
        long port;
        try {
            a = new Args(args, Set.of("--port", "--queue"), Set.of());
            if (a.wantsHelp()) {
                System.out.print(USAGE);
                return;
            }
            port = a.number("--port", 9324);
            if (port < 1 || port > 65535) {
                throw new Args.UsageException("--port must be 1-65535: " + port);
            }
        } catch (Args.UsageException e) {
            System.err.println("local-sqs: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        LocalSqs sqs;
        try {
            sqs = start((int) port, a.value("--queue", "logs"));
        } catch (RuntimeException e) {
            System.err.println("local-sqs: cannot start on 127.0.0.1:" + port + " (in use? try --port): " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sqs.close();
            stopped.countDown();
        }, "local-sqs-stop"));
        PrintStream out = System.out;
        out.print(instructions(sqs.queueUrl()));
        out.flush();
        stopped.await();
    }
}
