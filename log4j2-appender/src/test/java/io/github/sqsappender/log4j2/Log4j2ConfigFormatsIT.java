package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@code <Sqs>} from every configuration format Log4j2 users write — properties (Spark's), YAML,
 * JSON — and behind async loggers, each from a real file in {@code src/test/resources/formats},
 * in a logger context of its own, delivering to ElasticMQ.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(120)
class Log4j2ConfigFormatsIT {

    static EmbeddedSqs sqs;

    @BeforeAll
    static void start(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    @AfterAll
    static void stop() {
        System.clearProperty("formats.queueUrl");
    }

    /** A logger context of its own, configured from {@code config} (the JVM's default context stays as it is). */
    private static LoggerContext isolated(String name, URI config) {
        LoggerContext ctx = new LoggerContext(name, null, config);
        ctx.start();
        return ctx;
    }

    /** A context of its own from {@code formats/FILE}, whose {@code ${sys:formats.queueUrl}} is {@code queueUrl}. */
    private static LoggerContext fromFile(String file, String tag, String queueUrl) throws Exception {
        System.setProperty("formats.queueUrl", queueUrl);
        return isolated("formats-" + tag, Log4j2ConfigFormatsIT.class.getClassLoader().getResource("formats/" + file).toURI());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"log4j2.properties, properties", "log4j2.yaml, yaml", "log4j2.json, json", "log4j2-async.xml, async"})
    void everyFormatConfiguresTheAppenderAndDeliversEveryEvent(String file, String tag) throws Exception {
        String queueUrl = sqs.createQueue("formats-" + tag);
        LoggerContext ctx = fromFile(file, tag, queueUrl);
        try {
            SqsAppender appender = ctx.getConfiguration().getAppender("SQS");
            assertThat(appender).as("the <Sqs> appender from " + file).isNotNull();
            List<String> expected = IntStream.range(0, 50).mapToObj(i -> "[" + tag + "] INFO Checkout - order " + i).toList();
            for (int i = 0; i < 50; i++) {
                ctx.getLogger("com.example.Checkout").info("order {}", i);
            }
            // Async loggers: the events reach the appender from Log4j2's own thread; wait for it to drain.
            io.github.sqsappender.core.testing.Await.until("50 events appended", Duration.ofSeconds(10),
                    () -> appender.getMetrics().getEventsAppended() == 50);
            assertThat(appender.flush(10_000)).isTrue();
            assertThat(sqs.drainBodies(queueUrl, 50, Duration.ofSeconds(2))).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            ctx.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"log4j2-json-template.xml, ecs, 21", "log4j2-json-template-packed.xml, ecs-packed, 1"})
    void jsonTemplateLayoutEventsArriveAsOneEcsDocumentEach(String file, String tag, int messages) throws Exception {
        String queueUrl = sqs.createQueue("formats-" + tag);
        LoggerContext ctx = fromFile(file, tag, queueUrl);
        try {
            SqsAppender appender = ctx.getConfiguration().getAppender("SQS");
            assertThat(appender).as("the <Sqs> appender from " + file).isNotNull();
            org.apache.logging.log4j.ThreadContext.put("tenant", "acme");
            try {
                for (int i = 0; i < 20; i++) {
                    ctx.getLogger("com.example.Checkout").info("order {} with \"quotes\" and a\nsecond line", i);
                }
                ctx.getLogger("com.example.Checkout").error("payment failed", new IllegalStateException("card declined"));
            } finally {
                org.apache.logging.log4j.ThreadContext.remove("tenant");
            }
            assertThat(appender.flush(10_000)).isTrue();
            List<String> events = new java.util.ArrayList<>();
            List<software.amazon.awssdk.services.sqs.model.Message> received = sqs.drain(queueUrl, messages, Duration.ofSeconds(2));
            assertThat(received).as("one message per event, or one pack").hasSize(messages);
            for (software.amazon.awssdk.services.sqs.model.Message m : received) {
                assertThat(m.messageAttributes().containsKey("Content-Encoding")).as("gzip'ed pack").isEqualTo(messages == 1);
                events.addAll(io.github.sqsappender.reader.SdkMessages.events(m, true));
            }
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            List<com.fasterxml.jackson.databind.JsonNode> documents = new java.util.ArrayList<>();
            for (String event : events) {
                documents.add(json.readTree(event)); // each event is exactly one JSON document
            }
            assertThat(documents).hasSize(21);
            assertThat(documents).allSatisfy(d -> {
                assertThat(d.path("log.logger").asText()).isEqualTo("com.example.Checkout");
                assertThat(d.path("tenant").asText()).isEqualTo("acme");
                assertThat(d.path("@timestamp").asText()).isNotEmpty();
            });
            assertThat(documents.stream().map(d -> d.path("message").asText()).toList())
                    .containsAll(IntStream.range(0, 20).mapToObj(i -> "order " + i + " with \"quotes\" and a\nsecond line").toList())
                    .contains("payment failed");
            com.fasterxml.jackson.databind.JsonNode error = documents.stream()
                    .filter(d -> d.path("log.level").asText().equals("ERROR")).findFirst().orElseThrow();
            assertThat(error.path("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(error.path("error.stack_trace").asText()).contains("card declined", "Log4j2ConfigFormatsIT");
        } finally {
            ctx.stop();
        }
    }

    @Test
    void flushAllWaitsForTheAsyncAppenderAndTheAsyncLoggersInFrontOfTheAppender() throws Exception {
        String queueUrl = sqs.createQueue("formats-async-appender");
        System.setProperty("formats.queueUrl", queueUrl);
        URI config = Log4j2ConfigFormatsIT.class.getClassLoader().getResource("formats/log4j2-async-appender.xml").toURI();
        LoggerContext ctx = isolated("formats-async-appender", config);
        try {
            List<String> expected = IntStream.range(0, 500)
                    .mapToObj(i -> "[async-appender] INFO Handler - event " + i).toList();
            for (int i = 0; i < 500; i++) {
                ctx.getLogger("com.example.Handler").info("event {}", i);
            }
            // Both stages are seen: the <Async> appender's queue and the async loggers' ring buffer.
            assertThat(AsyncStages.of(ctx)).hasSize(2);
            assertThat(SqsAppender.flushAll(ctx, 30_000)).isTrue();
            assertThat(AsyncStages.of(ctx)).allMatch(io.github.sqsappender.core.FlushAll.Upstream::isEmpty);
            // The <Async> appender's dispatcher is found, and seen waiting for its queue (it holds the
            // event it took while it calls the appenders, which its queue no longer shows).
            assertThat(io.github.sqsappender.core.jvm.LiveThreads.named(AsyncStages.DISPATCHER_THREAD_PREFIX, "-ASYNC"))
                    .singleElement().satisfies(dispatcher -> assertThat(io.github.sqsappender.core.jvm.LiveThreads
                            .waitsForItsQueue(dispatcher, AsyncStages.DISPATCHER_CLASS_PREFIX)).isTrue());
            // With a one-minute linger, only the flush can have sent them by now.
            assertThat(sqs.drainBodies(queueUrl, 500, Duration.ofSeconds(2))).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            ctx.stop();
        }
    }

    @Test
    void aPropertyThatResolvesToNothingIsReportedAndLoggingGoesOn() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        StatusListener listener = new StatusListener() {
            @Override public void log(StatusData data) {
                if (data.getLevel().isMoreSpecificThan(Level.ERROR)) {
                    errors.add(data.getFormattedStatus());
                }
            }
            @Override public Level getStatusLevel() { return Level.ERROR; }
            @Override public void close() { }
        };
        StatusLogger.getLogger().registerListener(listener);
        URI config = Log4j2ConfigFormatsIT.class.getClassLoader().getResource("formats/log4j2-unresolved.properties").toURI();
        LoggerContext ctx = isolated("formats-unresolved", config);
        try {
            assertThat(errors).anySatisfy(e -> assertThat(e).contains("queueUrl=${sys:formats.no.such.property}")
                    .contains("is an unresolved property reference"));
            assertThat((Object) ctx.getConfiguration().getAppender("SQS")).isNull();
            assertThatCode(() -> ctx.getLogger("com.example.App").error("still logging")).doesNotThrowAnyException();
        } finally {
            StatusLogger.getLogger().removeListener(listener);
            ctx.stop();
        }
    }
}
