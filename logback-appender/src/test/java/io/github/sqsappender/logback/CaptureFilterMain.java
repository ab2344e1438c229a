package io.github.sqsappender.logback;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run in a child JVM with {@code logback-capture-filter.xml}: prints a line to each stream and logs
 * at INFO and WARN through an appender whose filter lets WARN and above through, then stops Logback.
 */
public final class CaptureFilterMain {

    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger("com.example.Filter");
        System.out.println("printed-out");
        System.err.println("printed-err");
        log.info("logged-info");
        log.warn("logged-warn");
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
}
