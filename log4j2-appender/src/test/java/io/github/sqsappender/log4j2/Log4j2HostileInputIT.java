package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.internal.Utf8;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.HostileInputs;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Hostile bodies and invalid configurations through a real log4j2.xml. */
@Timeout(180)
class Log4j2HostileInputIT {

    static EmbeddedSqs sqs;
    static final List<String> statusErrors = new CopyOnWriteArrayList<>();
    static final StatusListener listener = new StatusListener() {
        @Override public void log(StatusData data) {
            if (data.getLevel().isMoreSpecificThan(Level.ERROR)) {
                statusErrors.add(data.getFormattedStatus());
            }
        }
        @Override public Level getStatusLevel() { return Level.ERROR; }
        @Override public void close() { }
    };

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
        StatusLogger.getLogger().registerListener(listener);
    }

    @AfterAll
    static void stop() {
        StatusLogger.getLogger().removeListener(listener);
        sqs.close();
    }

    @AfterEach
    void quiet() {
        Log4j2SqsAppenderIT.useConfig("log4j2-test.xml");
        statusErrors.clear();
    }

    @Test
    void everyHostileBodyIsDeliveredSanitizedOrTruncatedOrCountedAndNeverThrows() {
        String queueUrl = sqs.createQueue("l4j-hostile");
        System.setProperty("sqs.queueUrl", queueUrl);
        LoggerContext ctx = Log4j2SqsAppenderIT.useConfig("log4j2-sqs.xml");
        Logger logger = ctx.getLogger("com.example.Hostile");
        List<HostileInputs.Case> cases = HostileInputs.all();
        for (HostileInputs.Case c : cases) {
            assertThatCode(() -> logger.error(c.message(), c.throwable())).as(c.name()).doesNotThrowAnyException();
        }
        SqsAppender appender = Log4j2SqsAppenderIT.sqsAppender(ctx);
        appender.flush(60_000);
        SqsAppenderMetrics m = appender.getMetrics();
        Log4j2SqsAppenderIT.useConfig("log4j2-test.xml");

        assertThat(m.getEventsAppended()).isEqualTo(cases.size());
        assertThat(m.getEventsDroppedEmpty()).as("only the empty message is not sent").isEqualTo(1);
        assertThat(m.getEventsSent()).isEqualTo(cases.size() - 1);
        List<Message> received = sqs.drain(queueUrl, cases.size(), Duration.ofSeconds(5));
        assertThat(received).hasSize(cases.size() - 1);
        for (Message message : received) {
            assertThat(HostileInputs.sqsAcceptable(message.body())).isTrue();
            assertThat(Utf8.encodedLength(message.body()) + Log4j2SqsAppenderIT.attributeBytes(message)).isLessThanOrEqualTo(262_144);
        }
        List<String> bodies = received.stream().map(Message::body).toList();
        assertThat(bodies).contains("nul\uFFFDbyte", "${jndi:ldap://example.invalid/a}",
                "${env:HOME} ${sys:user.home} $${ctx:x}", "null", "   \t  ", "\n");
        assertThat(bodies).anySatisfy(b -> assertThat(b).startsWith("failure with a deep stack")
                .contains("com.example.Deep").endsWith("bytes]"));
        assertThat(m.getEventsTruncated()).isGreaterThanOrEqualTo(5);
        assertThat(m.getEventsSanitized()).isGreaterThanOrEqualTo(8);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "queueUrl|NULL|queueUrl is required",
        "queueUrl|sqs://nowhere/q|queueUrl=sqs://nowhere/q",
        "maxBatchSize|11|maxBatchSize=11",
        "maxBatchSize|0|maxBatchSize=0",
        "maxBatchSize|lots|maxBatchSize=lots",
        "lingerMs|-1|lingerMs=-1",
        "blockTimeoutMs|-5|blockTimeoutMs=-5",
        "deliveryTimeoutMs|0|deliveryTimeoutMs=0",
        "shutdownTimeoutMs|-100|shutdownTimeoutMs=-100",
        "bufferCapacity|0|bufferCapacity=0",
        "maxBufferBytes|12|maxBufferBytes=12",
        "maxInFlight|0|maxInFlight=0",
        "maxMessageBytes|2000000|maxMessageBytes=2000000",
        "overflowPolicy|wait|overflowPolicy=wait",
        "largeMessagePolicy|split|largeMessagePolicy=split",
        "deduplication|maybe|deduplication=maybe",
        "jmx|yes|jmx=yes",
        "endpoint|not a url|endpoint=not a url",
        "endpoint|ftp://example.com|endpoint=ftp://example.com",
        "region|Mars|region=Mars",
        "messageAttributes|level,colour|messageAttributes=level,colour",
        "queueOwnerAccountId|12|queueOwnerAccountId=12",
    })
    void invalidConfigurationNamesTheAttributeAndValueAndTheApplicationKeepsLogging(
            String attribute, String value, String expected) throws Exception {
        String attributes = (attribute.equals("queueUrl") ? "" : "queueUrl=\"https://sqs.us-east-1.amazonaws.com/123456789012/q\" ")
                + (value == null ? "" : attribute + "=\"" + value + "\"");
        Path file = Files.createTempFile(Path.of("target"), "log4j2-invalid-", ".xml");
        Files.writeString(file, "<Configuration status=\"WARN\"><Appenders><Sqs name=\"BAD\" " + attributes
                + "/><Null name=\"Quiet\"/></Appenders><Loggers><Root level=\"INFO\"><AppenderRef ref=\"BAD\"/>"
                + "<AppenderRef ref=\"Quiet\"/></Root></Loggers></Configuration>", StandardCharsets.UTF_8);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.setConfigLocation(file.toUri());

        assertThat(statusErrors).anySatisfy(e -> assertThat(e).contains(expected));
        assertThat(ctx.getConfiguration().<SqsAppender>getAppender("BAD")).isNull();
        assertThatCode(() -> ctx.getLogger("com.example.App").error("still logging")).doesNotThrowAnyException();
        assertThat(Log4j2SqsAppenderIT.appenderThreads()).isEmpty();
    }
}
