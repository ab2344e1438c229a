package io.github.sqsappender.log4j2;

import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * An event's text as its layout writes it, formatted once: a string layout's {@code String} as it
 * is, a layout's bytes decoded in the charset its content type names (UTF-8 when it names none).
 * Once matters beyond cost: a layout may count ({@code %sn}) or consume state per call.
 */
final class LayoutText {

    private LayoutText() {
    }

    /** Any thread, as the layout allows. */
    static String of(Layout<? extends Serializable> layout, LogEvent event) {
        Serializable formatted = layout.toSerializable(event);
        if (formatted instanceof String text) {
            return text;
        }
        byte[] bytes = formatted instanceof byte[] b ? b : layout.toByteArray(event); // another Serializable: only its bytes are text
        return new String(bytes, charsetOf(layout.getContentType()));
    }

    /** The {@code charset} parameter of a media type such as {@code text/plain; charset=ISO-8859-1}; UTF-8 without one or for an unknown one. */
    static Charset charsetOf(String contentType) {
        if (contentType != null) {
            for (String parameter : contentType.split(";")) {
                String p = parameter.trim();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    String name = p.substring(8).trim().replace("\"", "");
                    try {
                        return Charset.forName(name);
                    } catch (IllegalArgumentException unknownOrIllegal) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
