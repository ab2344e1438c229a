package io.github.sqsappender.core;

import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What a text attribute's value must be, defined once: validation reports {@link #problem} and
 * the configuration table shows {@link #validValues}. Immutable.
 */
final class TextRule {

    private final UnaryOperator<String> problemOf;
    private final String validValues;

    private TextRule(UnaryOperator<String> problemOf, String validValues) {
        this.problemOf = problemOf;
        this.validValues = validValues;
    }

    /**
     * A value must match {@code regex} whole.
     *
     * @param problem     what the error says after "is invalid: "
     * @param validValues what the configuration table says (Markdown)
     */
    static TextRule matching(String regex, String problem, String validValues) {
        Pattern pattern = Pattern.compile(regex);
        return new TextRule(value -> pattern.matcher(value).matches() ? null : problem, validValues);
    }

    /** A value is checked by {@code problemOf}, which returns why it cannot be used, or null when it can. */
    static TextRule checkedBy(UnaryOperator<String> problemOf, String validValues) {
        return new TextRule(problemOf, validValues);
    }

    /** Why {@code value} is invalid (the text after "is invalid: "), or null when it is valid. */
    String problem(String value) {
        return problemOf.apply(value);
    }

    /** The configuration table's "valid values" cell, in Markdown. */
    String validValues() {
        return validValues;
    }
}
