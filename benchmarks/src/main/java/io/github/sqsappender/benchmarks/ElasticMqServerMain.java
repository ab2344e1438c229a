package io.github.sqsappender.benchmarks;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * ElasticMQ in a JVM of its own, so the client JVM's CPU can be measured alone. Prints
 * {@code READY} once it accepts requests and exits when its standard input closes.
 */
public final class ElasticMqServerMain {

    private ElasticMqServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
        server.waitUntilStarted();
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // the harness keeps stdin open while it needs the server
        }
        server.stopAndWait();
        System.exit(0);
    }
}
