package io.github.sqsappender.logback;

import ch.qos.logback.core.spi.ContextAwareBase;
import io.github.sqsappender.core.StatusPort;

/** Maps the core's status reports to the Logback status manager of the appender's context. */
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
        owner.addError(message, cause);
    }
}
