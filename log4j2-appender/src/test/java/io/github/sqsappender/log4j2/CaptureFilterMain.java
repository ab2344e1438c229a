package io.github.sqsappender.log4j2;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Run in a child JVM with {@code log4j2-capture-filter.xml}: prints a line to each stream and logs
 * at INFO and WARN through an {@code <Sqs>} whose filter lets WARN and above through, then stops Log4j2.
 */
public final class CaptureFilterMain {

    public static void main(String[] args) {
        Logger log = LogManager.getLogger("com.example.Filter");
        System.out.println("printed-out");
        System.err.println("printed-err");
        log.info("logged-info");
        log.warn("logged-warn");
        Configurator.shutdown((LoggerContext) LogManager.getContext(false));
    }
}
