package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import io.github.sqsappender.core.ConfigAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every configuration attribute is a Joran property of the Logback appender, wired through to the core. */
class LogbackAttributeParityTest {

    /** Setters Logback itself defines or that take objects, not configuration text. */
    private static final Set<String> FRAMEWORK_SETTERS = Set.of("setName", "setContext", "setEncoder");

    @Test
    void appenderHasExactlyOneTextSetterPerDescribedAttribute() {
        List<String> setters = Arrays.stream(SqsAppender.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("set"))
                .filter(m -> !FRAMEWORK_SETTERS.contains(m.getName()))
                .filter(m -> Arrays.equals(m.getParameterTypes(), new Class<?>[] {String.class}))
                .map(Method::getName).toList();
        assertThat(setters).containsExactlyInAnyOrderElementsOf(
                ConfigAttribute.all().stream().map(ConfigAttribute::setterName).toList());
    }

    static Stream<ConfigAttribute> validated() {
        return ConfigAttribute.all().stream().filter(ConfigAttribute::hasCheckedValue);
    }

    @ParameterizedTest
    @MethodSource("validated")
    void eachSetterReachesTheCoreValidation(ConfigAttribute attribute) throws Exception {
        LoggerContext context = new LoggerContext();
        SqsAppender appender = new SqsAppender();
        appender.setContext(context);
        appender.setName("parity");
        appender.setQueueUrl("https://sqs.us-east-1.amazonaws.com/123456789012/q");
        SqsAppender.class.getMethod(attribute.setterName(), String.class).invoke(appender, "nonsense");

        appender.start();

        assertThat(appender.isStarted()).isFalse();
        assertThat(context.getStatusManager().getCopyOfStatusList()).filteredOn(s -> s.getLevel() == Status.WARN)
                .anySatisfy(s -> assertThat(s.getMessage()).contains(attribute.name() + "=nonsense is invalid"));
    }

    private static final String FIFO_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo";

    @Test
    void aMessageGroupPatternLogbackCannotParseIsTheAppendersWarningNotAnErrorOnTheContext() {
        LoggerContext context = new LoggerContext();
        SqsAppender appender = new SqsAppender();
        appender.setContext(context);
        appender.setName("group");
        appender.setQueueUrl(FIFO_URL);
        appender.setMessageGroupId("%nosuchword");

        appender.start();

        assertThat(appender.isStarted()).isFalse();
        // Spring Boot fails the application's start on any error status raised while it configures Logback.
        assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() == Status.ERROR);
        assertThat(context.getStatusManager().getCopyOfStatusList()).filteredOn(s -> s.getLevel() == Status.WARN)
                .singleElement().satisfies(s -> assertThat(s.getMessage())
                        .contains("messageGroupId=%nosuchword is invalid").contains("nosuchword"));
    }

    @Test
    void aMessageGroupPatternMayUseTheContextsOwnConversionRules() {
        LoggerContext context = new LoggerContext();
        java.util.Map<String, String> rules = new java.util.HashMap<>();
        rules.put("tenant", TenantConverter.class.getName());
        context.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY, rules);
        SqsAppender appender = new SqsAppender();
        appender.setContext(context);
        appender.setName("group");
        appender.setQueueUrl(FIFO_URL);
        appender.setMessageGroupId("%tenant-%X{job}");
        appender.setJmx("false");

        appender.start();
        try {
            assertThat(appender.isStarted()).as(context.getStatusManager().getCopyOfStatusList().toString()).isTrue();
            assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
        } finally {
            appender.stop();
        }
    }

    /** A custom conversion word, as {@code <conversionRule>} registers one. */
    public static final class TenantConverter extends ch.qos.logback.classic.pattern.ClassicConverter {
        @Override
        public String convert(ch.qos.logback.classic.spi.ILoggingEvent event) {
            return "acme";
        }
    }
}
