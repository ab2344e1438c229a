package io.github.sqsappender.logback;

import ch.qos.logback.core.spi.ContextAwareBase;
import io.github.sqsappender.core.StatusPort;

/**
 * Maps the core's status reports to the Logback status manager of the appender's context. Errors
 * become warning statuses: Spring Boot fails an application's start when the status list holds
 * any error while it configures Logback (and it configures it again after an earlier start, which
 * stops a running appender: a stop with undelivered events reports an error). A warning is printed
 * the same way, by Logback at startup and by Boot, and does not stop the application.
 */
final class LogbackStatusPort implements StatusPort {

    private final ContextAwareBase owner;

    LogbackStatusPort(ContextAwareBase owner) {
        this.owner = owner;
    }

    @Override
    public void info(String message) {
        owner.addInfo(message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        owner.addWarn(message, cause);
    }

    @Override
    public void error(String message, Throwable cause) {
        owner.addWarn(message, cause); // a warning: see the class comment
    }
}
