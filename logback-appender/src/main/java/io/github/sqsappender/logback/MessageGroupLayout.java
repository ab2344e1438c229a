package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.status.Status;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The layout that renders a FIFO queue's {@code messageGroupId} pattern per event. Logback reports
 * a pattern it cannot parse (an unknown conversion word, a bad date format) as an error status on
 * the logger context, and Spring Boot turns any error status raised while it configures Logback
 * into a failed application start. So the pattern is first tried on a scratch context that knows
 * the same custom conversion rules; only a pattern that starts there cleanly is started on the
 * real context, and a bad one becomes the appender's own problem, named by attribute and value.
 */
final class MessageGroupLayout {

    // Where <conversionRule> registrations live; the literal names also work on Logback
    // versions whose CoreConstants lack the second one.
    private static final List<String> RULE_REGISTRIES = List.of("PATTERN_RULE_REGISTRY", "PATTERN_RULE_REGISTRY_FOR_SUPPLIERS");

    private MessageGroupLayout() {
    }

    /**
     * A started layout for {@code pattern} on {@code context}.
     *
     * @throws IllegalArgumentException with what Logback found wrong, when the pattern does not start cleanly
     */
    static PatternLayout start(Context context, String pattern) {
        String problem = problem(context, pattern);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(pattern);
        layout.start();
        return layout;
    }

    private static String problem(Context context, String pattern) {
        LoggerContext scratch = new LoggerContext(); // converters such as %mdc expect a logger context
        scratch.setName(context.getName());
        for (String registry : RULE_REGISTRIES) {
            Object rules = context.getObject(registry);
            if (rules != null) {
                scratch.putObject(registry, rules);
            }
        }
        PatternLayout trial = new PatternLayout();
        trial.setContext(scratch);
        trial.setPattern(pattern);
        boolean started;
        try {
            trial.start();
            started = trial.isStarted();
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        } finally {
            trial.stop();
        }
        List<Status> errors = scratch.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getEffectiveLevel() >= Status.ERROR).toList();
        if (errors.isEmpty() && started) {
            return null;
        }
        return errors.isEmpty() ? "Logback could not start a layout for it" : errors.stream().map(MessageGroupLayout::describe)
                .collect(Collectors.joining("; "));
    }

    private static String describe(Status status) {
        Throwable cause = status.getThrowable();
        return cause == null || cause.getMessage() == null ? status.getMessage() : status.getMessage() + " " + cause.getMessage();
    }
}
