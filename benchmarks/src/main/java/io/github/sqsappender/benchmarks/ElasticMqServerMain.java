package io.github.sqsappender.benchmarks;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;

/**
 * ElasticMQ in a JVM of its own, so the client JVM's CPU can be measured alone. Prints
 * {@code READY} once it accepts requests and exits when its standard input closes. It enforces
 * SQS's limits except the per-character body check ({@link BenchSqsLimits} says why), unless
 * {@value #STRICT_CHARACTERS} is {@code true}.
 */
public final class ElasticMqServerMain {

    /**
     * System property: {@code true} makes the server check every body character against SQS's
     * allowed ranges as ElasticMQ does by default; otherwise {@link BenchSqsLimits} applies.
     */
    static final String STRICT_CHARACTERS = "bench.strictCharacters";

    private ElasticMqServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        TheSQSRestServerBuilder builder = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port);
        if (!Boolean.getBoolean(STRICT_CHARACTERS)) {
            builder = builder.withSQSLimits(BenchSqsLimits.INSTANCE);
        }
        SQSRestServer server = builder
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
