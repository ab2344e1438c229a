package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.StatusPort;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.status.StatusLogger;

/** Maps the core's status reports to Log4j2's {@link StatusLogger}, never to a regular logger. */
final class StatusLoggerPort implements StatusPort {

    private static final Logger LOGGER = StatusLogger.getLogger();

    @Override
    public void info(String message) {
        LOGGER.info(message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        LOGGER.warn(message, cause);
    }

    @Override
    public void error(String message, Throwable cause) {
        LOGGER.error(message, cause);
    }
}
