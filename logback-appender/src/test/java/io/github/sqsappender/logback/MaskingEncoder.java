package io.github.sqsappender.logback;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** A pattern encoder that masks secrets in what it encodes, as applications subclass one to do. */
public class MaskingEncoder extends PatternLayoutEncoder {

    @Override
    public byte[] encode(ILoggingEvent event) {
        String text = getLayout().doLayout(event).replace("secret", "***");
        return getCharset() == null ? text.getBytes() : text.getBytes(getCharset());
    }
}
