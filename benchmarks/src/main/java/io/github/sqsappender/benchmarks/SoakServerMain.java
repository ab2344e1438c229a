package io.github.sqsappender.benchmarks;

import io.github.sqsappender.core.testing.FaultProxy;
import io.github.sqsappender.core.testing.TcpRelay;
import io.github.sqsappender.reader.SdkMessages;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's server JVM: ElasticMQ plus a consumer that keeps the queue drained, as a Lambda or a
 * monitor would, so the run can last for hours, and the faults in front of it (a fault proxy and a
 * TCP relay, which the application reaches). It decodes every message with the reader and records
 * each event's sequence number. Prints {@code READY <queue URL through the relay>} once the queue
 * exists; then takes one command per line on standard input ({@code outage}, {@code throttling},
 * {@code reset}, {@code heal}), acknowledging each with {@code OK <command>}; when its standard
 * input closes it drains what is left and prints {@code DRAINED <messages> <events> <distinct
 * events>}, then exits.
 */
public final class SoakServerMain {

    private SoakServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String queueName = args[1];
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
        server.waitUntilStarted();
        SqsAsyncClient client = SqsAsyncClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1).httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("soak", "soak"))).build();
        String url = client.createQueue(b -> b.queueName(queueName)).join().queueUrl();
        AtomicLong messages = new AtomicLong();
        AtomicLong events = new AtomicLong();
        BitSet seen = new BitSet();
        Object lock = new Object();
        long[] lastNonEmpty = {System.nanoTime()};
        Thread drainer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                List<Message> batch = client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageAttributeNames("All")).join().messages();
                if (batch.isEmpty()) {
                    continue;
                }
                synchronized (lock) {
                    lastNonEmpty[0] = System.nanoTime();
                    for (Message m : batch) {
                        messages.incrementAndGet();
                        for (String event : SdkMessages.events(m, true)) {
                            events.incrementAndGet();
                            seen.set(Soak.sequenceOf(event));
                        }
                    }
                }
                client.deleteMessageBatch(b -> b.queueUrl(url).entries(batch.stream().map(m -> DeleteMessageBatchRequestEntry
                        .builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList())).join();
            }
        }, "soak-drainer");
        drainer.setDaemon(true);
        drainer.start();
        // The faults, between the application and ElasticMQ: application -> relay -> proxy -> ElasticMQ.
        FaultProxy proxy = FaultProxy.start("http://127.0.0.1:" + port);
        TcpRelay relay = new TcpRelay(URI.create(proxy.endpoint()).getPort());
        System.out.println("READY " + relay.endpoint() + URI.create(url).getPath());
        System.out.flush();
        java.io.BufferedReader commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null) { // the soak keeps stdin open while it runs
            switch (command) {
                case "outage" -> proxy.outage();
                case "throttling" -> proxy.always(FaultProxy.Fault.of(FaultProxy.Kind.THROTTLING));
                case "reset" -> relay.resetAll();
                case "heal" -> {
                    proxy.heal();
                    proxy.recover();
                }
                default -> throw new IllegalArgumentException("unknown soak command " + command);
            }
            System.out.println("OK " + command);
            System.out.flush();
        }
        while (true) { // what is still in the queue: until it has been empty for 3 s
            synchronized (lock) {
                if (System.nanoTime() - lastNonEmpty[0] > 3_000_000_000L) {
                    System.out.println("DRAINED " + messages.get() + " " + events.get() + " " + seen.cardinality());
                    break;
                }
            }
            Thread.sleep(100); // a poll of the drainer's progress, not a synchronisation of its work
        }
        System.out.flush();
        server.stopAndWait();
        System.exit(0);
    }
}
