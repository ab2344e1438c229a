package io.github.sqsappender.log4j2;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.AbstractLayout;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LayoutTextTest {

    private static LogEvent event(String message) {
        return Log4jLogEvent.newBuilder().setLoggerName("com.example.App").setLevel(Level.INFO)
                .setMessage(new SimpleMessage(message)).build();
    }

    /** A layout that writes bytes, not a String, and counts how often it formats. */
    private static final class CountingBytesLayout extends AbstractLayout<byte[]> {
        final AtomicInteger formatted = new AtomicInteger();
        private final String contentType;

        CountingBytesLayout(String contentType) {
            super(null, null, null);
            this.contentType = contentType;
        }

        @Override
        public byte[] toByteArray(LogEvent event) {
            return toSerializable(event);
        }

        @Override
        public byte[] toSerializable(LogEvent event) {
            return ("#" + formatted.incrementAndGet() + " " + event.getMessage().getFormattedMessage())
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public String getContentType() {
            return contentType;
        }
    }

    @Test
    void aByteLayoutFormatsEachEventOnceAndIsReadInTheCharsetItsContentTypeNames() {
        CountingBytesLayout layout = new CountingBytesLayout("text/plain; charset=ISO-8859-1");
        assertThat(LayoutText.of(layout, event("café"))).isEqualTo("#1 café");
        assertThat(LayoutText.of(layout, event("naïve"))).isEqualTo("#2 naïve"); // a sequence counted once per event
        assertThat(layout.formatted).hasValue(2);
    }

    @Test
    void aStringLayoutIsTakenAsItIs() {
        PatternLayout layout = PatternLayout.newBuilder().withPattern("%sn %m").build();
        assertThat(LayoutText.of(layout, event("a"))).endsWith(" a");
        String second = LayoutText.of(layout, event("b"));
        String first = LayoutText.of(layout, event("c"));
        assertThat(Long.parseLong(first.split(" ")[0]) - Long.parseLong(second.split(" ")[0])).isEqualTo(1);
    }

    @Test
    void theCharsetIsTheContentTypesParameterAndUtf8WithoutOneOrForAnUnknownOne() {
        assertThat(LayoutText.charsetOf("text/plain; Charset=\"windows-1252\"")).isEqualTo(java.nio.charset.Charset.forName("windows-1252"));
        assertThat(LayoutText.charsetOf("application/json")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(LayoutText.charsetOf(null)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(LayoutText.charsetOf("text/plain; charset=no-such-charset")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(LayoutText.charsetOf("text/plain; charset=")).isEqualTo(StandardCharsets.UTF_8);
    }
}
