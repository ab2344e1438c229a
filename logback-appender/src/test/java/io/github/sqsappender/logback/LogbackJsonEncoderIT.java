package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.reader.SdkMessages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The appender with {@code net.logstash.logback.encoder.LogstashEncoder}, configured from a real
 * file ({@code logback-logstash.xml}) in a logger context of its own: every event arrives as one
 * JSON document, with its MDC and stack trace, unpacked and packed + gzip.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(120)
class LogbackJsonEncoderIT {

    static EmbeddedSqs sqs;

    @BeforeAll
    static void start(EmbeddedSqs server) {
        sqs = server;
    }

    private static LoggerContext configured(String name, String queueUrl, String packing, String compression) throws Exception {
        LoggerContext ctx = new LoggerContext();
        ctx.setName(name);
        ctx.setMDCAdapter(MDC.getMDCAdapter()); // SLF4J's, as the default context has: MDC.put reaches these events
        ctx.putProperty("sqs.queueUrl", queueUrl);
        ctx.putProperty("sqs.packing", packing);
        ctx.putProperty("sqs.compression", compression);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(LogbackJsonEncoderIT.class.getClassLoader().getResource("logback-logstash.xml"));
        ctx.start();
        return ctx;
    }

    @ParameterizedTest(name = "packing={1} compression={2}")
    @CsvSource({"logstash, none, none, 21", "logstash-packed, ndjson, gzip, 1"})
    void logstashEncoderEventsArriveAsOneJsonDocumentEach(String tag, String packing, String compression, int messages)
            throws Exception {
        String queueUrl = sqs.createQueue("logback-" + tag);
        LoggerContext ctx = configured(tag, queueUrl, packing, compression);
        try {
            SqsAppender appender = (SqsAppender) ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("SQS");
            assertThat(appender).isNotNull();
            assertThat(appender.isStarted()).isTrue();
            Logger log = ctx.getLogger("com.example.Checkout");
            MDC.put("tenant", "acme");
            try {
                for (int i = 0; i < 20; i++) {
                    log.info("order {} with \"quotes\" and a\nsecond line", i);
                }
                log.error("payment failed", new IllegalStateException("card declined"));
            } finally {
                MDC.remove("tenant");
            }
            assertThat(appender.flush(10_000)).isTrue();

            List<String> events = new ArrayList<>();
            List<Message> received = sqs.drain(queueUrl, messages, Duration.ofSeconds(2));
            assertThat(received).as("one message per event, or one pack").hasSize(messages);
            for (Message m : received) {
                assertThat(m.messageAttributes().containsKey("Content-Encoding")).as("gzip'ed pack").isEqualTo(messages == 1);
                events.addAll(SdkMessages.events(m, true));
            }
            ObjectMapper json = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            List<JsonNode> documents = new ArrayList<>();
            for (String event : events) {
                documents.add(json.readTree(event)); // each event is exactly one JSON document
            }
            assertThat(documents).hasSize(21);
            assertThat(documents).allSatisfy(d -> {
                assertThat(d.path("logger_name").asText()).isEqualTo("com.example.Checkout");
                assertThat(d.path("tenant").asText()).isEqualTo("acme");
                assertThat(d.path("@timestamp").asText()).isNotEmpty();
            });
            assertThat(documents.stream().map(d -> d.path("message").asText()).toList())
                    .containsAll(IntStream.range(0, 20).mapToObj(i -> "order " + i + " with \"quotes\" and a\nsecond line").toList())
                    .contains("payment failed");
            JsonNode error = documents.stream().filter(d -> d.path("level").asText().equals("ERROR")).findFirst().orElseThrow();
            assertThat(error.path("stack_trace").asText()).contains("IllegalStateException: card declined", "LogbackJsonEncoderIT");
        } finally {
            ctx.stop();
        }
    }
}
