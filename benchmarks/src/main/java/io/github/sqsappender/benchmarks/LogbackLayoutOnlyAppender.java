package io.github.sqsappender.benchmarks;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;

/** The floor for Logback: format each event with the encoder's layout on the caller's thread, then discard it. */
public final class LogbackLayoutOnlyAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Keeps the formatted result reachable so the JIT cannot drop the formatting. */
    public static volatile Object sink;

    private LayoutWrappingEncoder<ILoggingEvent> encoder;

    public void setEncoder(LayoutWrappingEncoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    protected void append(ILoggingEvent event) {
        sink = encoder.getLayout().doLayout(event);
    }
}
