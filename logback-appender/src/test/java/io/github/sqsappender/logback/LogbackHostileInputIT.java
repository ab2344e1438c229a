package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.internal.Utf8;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.HostileInputs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Hostile bodies and invalid configurations through real logback.xml configuration. */
@Timeout(180)
class LogbackHostileInputIT {

    static EmbeddedSqs sqs;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @AfterEach
    void quiet() {
        LogbackSqsAppenderIT.configure("logback-test.xml");
    }

    @Test
    void everyHostileBodyIsDeliveredSanitizedOrTruncatedOrCountedAndNeverThrows() {
        String queueUrl = sqs.createQueue("lb-hostile");
        System.setProperty("sqs.queueUrl", queueUrl);
        LoggerContext ctx = LogbackSqsAppenderIT.configure("logback-sqs.xml");
        ((ch.qos.logback.classic.encoder.PatternLayoutEncoder) LogbackSqsAppenderIT.sqsAppender(ctx).getEncoder())
                .getLayout(); // the encoder from logback-sqs.xml: %msg (Logback appends no throwable itself)
        Logger logger = LoggerFactory.getLogger("com.example.Hostile");
        List<HostileInputs.Case> cases = HostileInputs.all();
        for (HostileInputs.Case c : cases) {
            assertThatCode(() -> logger.error(c.message(), c.throwable())).as(c.name()).doesNotThrowAnyException();
        }
        SqsAppender appender = LogbackSqsAppenderIT.sqsAppender(ctx);
        appender.flush(60_000);
        SqsAppenderMetrics m = appender.getMetrics();
        LogbackSqsAppenderIT.configure("logback-test.xml");

        assertThat(m.getEventsAppended()).isEqualTo(cases.size());
        assertThat(m.getEventsDroppedEmpty()).as("only the empty message is not sent").isEqualTo(1);
        assertThat(m.getEventsSent()).isEqualTo(cases.size() - 1);
        List<Message> received = sqs.drain(queueUrl, cases.size(), Duration.ofSeconds(5));
        assertThat(received).hasSize(cases.size() - 1);
        for (Message message : received) {
            assertThat(HostileInputs.sqsAcceptable(message.body())).isTrue();
            assertThat(Utf8.encodedLength(message.body()) + LogbackSqsAppenderIT.attributeBytes(message)).isLessThanOrEqualTo(262_144);
        }
        List<String> bodies = received.stream().map(Message::body).toList();
        assertThat(bodies).contains("nul\uFFFDbyte", "${jndi:ldap://example.invalid/a}",
                "${env:HOME} ${sys:user.home} $${ctx:x}", "null", "   \t  ", "\n");
        assertThat(m.getEventsTruncated()).isGreaterThanOrEqualTo(4);
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
        String elements = (attribute.equals("queueUrl") ? "" : "<queueUrl>https://sqs.us-east-1.amazonaws.com/123456789012/q</queueUrl>")
                + (value == null ? "" : "<" + attribute + ">" + value + "</" + attribute + ">");
        String xml = "<configuration><appender name=\"BAD\" class=\"io.github.sqsappender.logback.SqsAppender\">"
                + elements + "</appender><root level=\"INFO\"><appender-ref ref=\"BAD\"/></root></configuration>";
        LoggerContext ctx = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));

        List<String> errors = ctx.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.ERROR).map(Status::getMessage).toList();
        assertThat(errors).anySatisfy(e -> assertThat(e).contains(expected));
        SqsAppender appender = (SqsAppender) ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("BAD");
        assertThat(appender.isStarted()).isFalse();
        assertThatCode(() -> ctx.getLogger("com.example.App").error("still logging")).doesNotThrowAnyException();
        assertThat(LogbackSqsAppenderIT.appenderThreads()).isEmpty();
        ctx.stop();
    }
}
