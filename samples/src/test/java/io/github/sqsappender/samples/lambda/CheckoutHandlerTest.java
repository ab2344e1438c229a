package io.github.sqsappender.samples.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda producer called as the runtime would call it (a plain Java call with a context),
 * logging through {@code <Sqs>} configured from XML with a one-minute linger: everything it logged
 * is in the queue when the handler returns, because it flushed, while the appender keeps running
 * (as it does in a warm Lambda between invocations).
 */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(60)
class CheckoutHandlerTest {

    static EmbeddedSqs sqs;

    @BeforeAll
    static void start(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    @AfterAll
    static void stop() throws Exception {
        ((LoggerContext) LogManager.getContext(false))
                .setConfigLocation(CheckoutHandlerTest.class.getClassLoader().getResource("log4j2-quiet.xml").toURI());
    }

    @Test
    void everythingTheHandlerLoggedIsInTheQueueWhenItReturns() throws Exception {
        String queueUrl = sqs.createQueue("lambda-producer");
        Path config = Files.createTempFile(Path.of("target"), "lambda-producer-", ".xml");
        Files.writeString(config, "<Configuration status=\"WARN\"><Appenders><Sqs name=\"SQS\" queueUrl=\"" + queueUrl
                + "\" lingerMs=\"60000\" messageAttributes=\"mdc:requestId\" jmx=\"false\"><PatternLayout pattern=\"%m\"/></Sqs>"
                + "</Appenders><Loggers><Root level=\"INFO\"><AppenderRef ref=\"SQS\"/></Root></Loggers></Configuration>",
                StandardCharsets.UTF_8);
        ((LoggerContext) LogManager.getContext(false)).setConfigLocation(config.toUri());

        CheckoutHandler handler = new CheckoutHandler();
        String first = handler.handleRequest(Map.of("orderId", "o-1", "items", List.of("book", "pen")), context("req-1"));
        String second = handler.handleRequest(Map.of("orderId", "o-2", "items", List.of("lamp")), context("req-2"));

        assertThat(first).isEqualTo("logged=4 delivered=true");
        assertThat(second).isEqualTo("logged=3 delivered=true");
        // Read at once: with a 60 s linger, only the flush can have sent them this soon.
        List<Message> received = sqs.drain(queueUrl, 7, Duration.ofSeconds(2));
        assertThat(received).extracting(Message::body).containsExactlyInAnyOrder("checkout o-1 started",
                "checkout o-1 item book", "checkout o-1 item pen", "checkout o-1 done", "checkout o-2 started",
                "checkout o-2 item lamp", "checkout o-2 done");
        assertThat(received).filteredOn(m -> m.body().contains("o-2"))
                .allSatisfy(m -> assertThat(m.messageAttributes().get("mdc.requestId").stringValue()).isEqualTo("req-2"));
    }

    private static Context context(String requestId) {
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/checkout"; }
            @Override public String getLogStreamName() { return "stream"; }
            @Override public String getFunctionName() { return "checkout"; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:checkout"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 30_000; }
            @Override public int getMemoryLimitInMB() { return 512; }
            @Override public LambdaLogger getLogger() { return null; }
        };
    }
}
