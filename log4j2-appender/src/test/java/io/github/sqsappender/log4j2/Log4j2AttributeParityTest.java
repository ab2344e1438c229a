package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.ConfigAttribute;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every configuration attribute is a {@code <Sqs>} attribute, wired through to the core. */
class Log4j2AttributeParityTest {

    @Test
    void builderHasExactlyOnePluginAttributePerDescribedAttribute() {
        List<String> fields = Arrays.stream(SqsAppender.Builder.class.getDeclaredFields())
                .filter(f -> f.isAnnotationPresent(PluginBuilderAttribute.class)).map(Field::getName).toList();
        assertThat(fields).containsExactlyInAnyOrderElementsOf(ConfigAttribute.all().stream().map(ConfigAttribute::name).toList());
    }

    @Test
    void externalIdIsMarkedSensitive() throws Exception {
        assertThat(SqsAppender.Builder.class.getDeclaredField("externalId").getAnnotation(PluginBuilderAttribute.class)
                .sensitive()).isTrue();
    }

    /** The status errors while {@code builder} builds, which must fail (no appender). */
    private static List<String> errorsOfAFailedBuild(SqsAppender.Builder<?> builder) {
        List<String> errors = new CopyOnWriteArrayList<>();
        StatusListener listener = new StatusListener() {
            @Override public void log(StatusData data) { errors.add(data.getFormattedStatus()); }
            @Override public Level getStatusLevel() { return Level.ERROR; }
            @Override public void close() { }
        };
        StatusLogger.getLogger().registerListener(listener);
        try {
            assertThat(builder.build()).isNull();
        } finally {
            StatusLogger.getLogger().removeListener(listener);
        }
        return errors;
    }

    static Stream<ConfigAttribute> validated() {
        return ConfigAttribute.all().stream().filter(ConfigAttribute::hasCheckedValue);
    }

    @ParameterizedTest
    @MethodSource("validated")
    void eachSetterReachesTheCoreValidation(ConfigAttribute attribute) throws Exception {
        SqsAppender.Builder<?> builder = SqsAppender.newBuilder();
        builder.setName("parity");
        builder.setQueueUrl("https://sqs.us-east-1.amazonaws.com/123456789012/q");
        Method setter = SqsAppender.Builder.class.getMethod(attribute.setterName(), String.class);
        setter.invoke(builder, "nonsense");
        assertThat(errorsOfAFailedBuild(builder)).anySatisfy(e -> assertThat(e).contains(attribute.name() + "=nonsense is invalid"));
    }

    @Test
    void aMessageGroupIdPatternLog4j2CannotParseIsAnErrorNamingTheAttribute() {
        SqsAppender.Builder<?> builder = SqsAppender.newBuilder();
        builder.setName("group");
        builder.setQueueUrl("https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo");
        builder.setMessageGroupId("tenant-%zz");
        assertThat(errorsOfAFailedBuild(builder)).anySatisfy(e -> assertThat(e)
                .contains("Sqs appender 'group': messageGroupId=tenant-%zz is invalid: ").contains("zz"));
    }

    @Test
    void aMessageGroupIdPatternLog4j2ParsesBuildsTheAppender() {
        // As in an application: Log4j2's context exists before the appender's client is built (here
        // the first to ask for it would be Netty's logger, on the dispatcher, while this thread stops
        // the appender under Log4j2's manager lock: the stop then waits out shutdownTimeoutMs).
        org.apache.logging.log4j.LogManager.getContext(false);
        SqsAppender.Builder<?> builder = SqsAppender.newBuilder();
        builder.setName("group-ok");
        builder.setQueueUrl("https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo");
        builder.setMessageGroupId("tenant-%X{tenant}-%%");
        SqsAppender appender = builder.build();
        assertThat(appender).isNotNull();
        appender.stop();
    }
}
