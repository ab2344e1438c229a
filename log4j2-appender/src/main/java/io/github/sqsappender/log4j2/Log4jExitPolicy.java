package io.github.sqsappender.log4j2;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
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
 *   <li>the configuration does not say {@code shutdownHook="disable"};</li>
 *   <li>in a reconfiguration, the context registered a hook when it started: it registers one only
 *       then, for its first configuration, so a context started with {@code shutdownHook="disable"}
 *       has none whatever its later configurations say.</li>
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
        if (configuration != null && (configuration.getLoggerContext() == null
                || startedWithoutAHook(configuration.getLoggerContext()))) {
            // No context to ask (a programmatic configuration built without one, which
            // Configurator.reconfigure may apply to a running context): the appender's own hook, as
            // when the context cannot be read; a second stop at exit is a no-op.
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

    /**
     * True when {@code context} is already running — so this configuration replaces another, and
     * the context will register no hook for it — and registered none when it started. Log4j2 has
     * no API for that: its private {@code shutdownCallback} is read. When it cannot be read, true:
     * the appender then installs its own hook, and a second stop at exit is a no-op. During the
     * context's first start (state STARTING) false: it registers its hook after building the
     * appenders, as that configuration says.
     */
    static boolean startedWithoutAHook(LoggerContext context) {
        if (context == null || !context.isStarted()) {
            return false;
        }
        try {
            java.lang.reflect.Field callback = LoggerContext.class.getDeclaredField("shutdownCallback");
            callback.setAccessible(true);
            return callback.get(context) == null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }
}
