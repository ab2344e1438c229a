package io.github.sqsappender.log4j2;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.apache.logging.log4j.core.util.ShutdownCallbackRegistry;
import org.apache.logging.log4j.spi.LoggerContextFactory;

/**
 * Tells whether Log4j2 itself will stop this appender when the JVM exits. It does so only through
 * its shutdown callback registry, and only when all of these hold (as {@code LoggerContext.start}
 * and {@code Log4jContextFactory} decide):
 * <ul>
 *   <li>the context factory is a {@link ShutdownCallbackRegistry};</li>
 *   <li>that factory has hooks enabled: not in web-app mode ({@code javax.servlet.Servlet} or
 *       {@code jakarta.servlet.Servlet} on the classpath, or {@code log4j2.isWebapp=true}), and
 *       {@code log4j2.shutdownHookEnabled} is not {@code false};</li>
 *   <li>the configuration does not say {@code shutdownHook="disable"}.</li>
 * </ul>
 * Spark drivers and executors carry Jetty and the servlet API, so there Log4j2 registers no hook
 * and relies on a servlet container that never comes; the appender then installs its own.
 */
final class Log4jExitPolicy {

    private Log4jExitPolicy() {
    }

    /** True when Log4j2 registers a JVM shutdown hook that will stop {@code configuration}'s appenders. */
    static boolean log4jStopsAtExit(Configuration configuration) {
        if (configuration != null && !configuration.isShutdownHookEnabled()) {
            return false;
        }
        LoggerContextFactory factory = LogManager.getFactory();
        if (factory instanceof Log4jContextFactory) {
            try {
                return ((Log4jContextFactory) factory).isShutdownHookEnabled();
            } catch (LinkageError e) {
                return false; // an older Log4j2 without the method: install ours, a second stop is a no-op
            }
        }
        return factory instanceof ShutdownCallbackRegistry;
    }
}
