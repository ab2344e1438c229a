package io.github.sqsappender.samples.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda consumer on messages really received from ElasticMQ: written by the Log4j2 appender
 * (packed + gzip, packed, and unpacked), plus one corrupt message, turned into the Lambda SQS
 * event the runtime would deliver.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(120)
class LogQueueHandlerTest {

    static EmbeddedSqs sqs;

    @BeforeAll
    static void start(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    /** Logs {@code lines} through a Log4j2 {@code <Sqs>} appender configured from XML, then stops it. */
    static void logThroughLog4j2(String queueUrl, String packing, String compression, List<String> lines) throws Exception {
        Path config = Files.createTempFile(Path.of("target"), "lambda-log4j2-", ".xml");
        Files.writeString(config, "<Configuration status=\"WARN\"><Appenders><Sqs name=\"SQS\" queueUrl=\"" + queueUrl
                + "\" packing=\"" + packing + "\" compression=\"" + compression + "\" jmx=\"false\">"
                + "<PatternLayout pattern=\"%m\"/></Sqs></Appenders><Loggers>"
                + "<Logger name=\"app\" level=\"INFO\" additivity=\"false\"><AppenderRef ref=\"SQS\"/></Logger>"
                + "<Root level=\"WARN\"/></Loggers></Configuration>", StandardCharsets.UTF_8);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.setConfigLocation(config.toUri());
        lines.forEach(l -> ctx.getLogger("app").info(l));
        ctx.setConfigLocation(LogQueueHandlerTest.class.getClassLoader().getResource("log4j2-quiet.xml").toURI());
    }

    /** A received SDK message as the Lambda runtime delivers it. */
    static SQSEvent.SQSMessage asLambdaMessage(Message m) {
        SQSEvent.SQSMessage lambda = new SQSEvent.SQSMessage();
        lambda.setMessageId(m.messageId());
        lambda.setReceiptHandle(m.receiptHandle());
        lambda.setBody(m.body());
        Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
        for (Map.Entry<String, MessageAttributeValue> e : m.messageAttributes().entrySet()) {
            SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
            a.setDataType(e.getValue().dataType());
            a.setStringValue(e.getValue().stringValue());
            attributes.put(e.getKey(), a);
        }
        lambda.setMessageAttributes(attributes);
        return lambda;
    }

    @Test
    void decodesEveryMessageKindAndReportsOnlyTheCorruptOneAsABatchItemFailure() throws Exception {
        String url = sqs.createQueue("lambda-consumer");
        List<String> lines = IntStream.range(0, 300).mapToObj(i -> "event " + i + " with \"quotes\"\nand a second line").toList();
        logThroughLog4j2(url, "ndjson", "gzip", lines.subList(0, 100));
        logThroughLog4j2(url, "ndjson", "none", lines.subList(100, 200));
        logThroughLog4j2(url, "none", "none", lines.subList(200, 300));
        sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("H4sIAAAA-not-really-gzip")
                .messageAttributes(Map.of("Content-Type", MessageAttributeValue.builder().dataType("String")
                                .stringValue("application/x-ndjson").build(),
                        "Content-Encoding", MessageAttributeValue.builder().dataType("String").stringValue("gzip,base64").build())))
                .join();

        List<Message> received = sqs.drain(url, Integer.MAX_VALUE, Duration.ofSeconds(2));
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        String corruptId = null;
        for (Message m : received) {
            records.add(asLambdaMessage(m));
            if (m.body().startsWith("H4sIAAAA-not")) {
                corruptId = m.messageId();
            }
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        List<String> events = new CopyOnWriteArrayList<>();

        SQSBatchResponse response = new LogQueueHandler(events::add).handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(corruptId);
        assertThat(events).containsExactlyInAnyOrderElementsOf(lines);
        assertThat(records.size()).as("100 + 100 packed into few messages, 100 unpacked, 1 corrupt").isLessThan(110);
    }

    @Test
    void anOffloadedEventIsFetchedFromS3AndAFetchThatFailsIsABatchItemFailure() throws Exception {
        String url = sqs.createQueue("lambda-offloaded");
        String large = "large event " + "x".repeat(3_000);
        try (io.github.sqsappender.core.testing.EmbeddedS3 s3 = io.github.sqsappender.core.testing.EmbeddedS3.start()) {
            s3.createBucket("offloaded");
            Path config = Files.createTempFile(Path.of("target"), "lambda-offload-", ".xml");
            Files.writeString(config, "<Configuration status=\"WARN\"><Appenders><Sqs name=\"SQS\" queueUrl=\"" + url
                    + "\" maxMessageBytes=\"1024\" largeMessagePolicy=\"s3\" s3Bucket=\"offloaded\" s3Endpoint=\""
                    + s3.endpoint() + "\" jmx=\"false\"><PatternLayout pattern=\"%m\"/></Sqs></Appenders><Loggers>"
                    + "<Logger name=\"app\" level=\"INFO\" additivity=\"false\"><AppenderRef ref=\"SQS\"/></Logger>"
                    + "<Root level=\"WARN\"/></Loggers></Configuration>", StandardCharsets.UTF_8);
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.setConfigLocation(config.toUri());
            ctx.getLogger("app").info("small event");
            ctx.getLogger("app").info(large);
            ctx.setConfigLocation(LogQueueHandlerTest.class.getClassLoader().getResource("log4j2-quiet.xml").toURI());

            List<Message> received = sqs.drain(url, 2, Duration.ofSeconds(2));
            SQSEvent event = new SQSEvent();
            event.setRecords(received.stream().map(LogQueueHandlerTest::asLambdaMessage).toList());
            List<String> events = new CopyOnWriteArrayList<>();
            java.util.function.Function<io.github.sqsappender.reader.S3Pointer, String> fromEmbeddedS3 =
                    p -> s3.get(p.bucket(), p.key()).asUtf8String();

            SQSBatchResponse response = new LogQueueHandler(events::add, fromEmbeddedS3).handleRequest(event, null);
            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(events).containsExactlyInAnyOrder("small event", large);

            String pointerId = received.stream().filter(m -> m.messageAttributes().containsKey("ExtendedPayloadSize"))
                    .findFirst().orElseThrow().messageId();
            SQSBatchResponse failing = new LogQueueHandler(e -> { }, p -> {
                throw new IllegalStateException("Access Denied");
            }).handleRequest(event, null);
            assertThat(failing.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .containsExactly(pointerId);
        }
    }
}
