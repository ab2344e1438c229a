package io.github.sqsappender.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/** A hostile encoder that logs while encoding: without a re-entry guard this recurses forever. */
public class LoggingEncoder extends EncoderBase<ILoggingEvent> {

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        LoggerFactory.getLogger("com.example.Encoder").info("encoding {}", event.getFormattedMessage());
        return ("encoded:" + event.getFormattedMessage()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
