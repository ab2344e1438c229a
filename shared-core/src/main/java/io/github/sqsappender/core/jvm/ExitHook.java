package io.github.sqsappender.core.jvm;

import io.github.sqsappender.core.ShutdownHooks;
import io.github.sqsappender.core.StatusPort;

/**
 * One pipeline's JVM exit hook: when the JVM shuts down it runs the pipeline's bounded exit stop,
 * so events buffered at exit are delivered even when the logging framework will not stop the
 * appender itself (Log4j2 in web-app mode or with its shutdown hook disabled, Logback without
 * {@code <shutdownHook/>}). The hook thread only runs that stop, which is bounded by
 * {@code shutdownTimeoutMs} once no framework's own exit hook runs: while Spring Boot's or
 * Logback's does, it waits for that hook's stop (the JVM waits for that hook anyway), and if that
 * hook ends without stopping the pipeline, the bounded stop follows.
 *
 * <p>{@link #install()} and {@link #uninstall()} are called by the pipeline's lifecycle methods
 * (under its lifecycle lock). {@link #uninstall()} is a no-op on the hook thread itself and while
 * the JVM is already shutting down.
 */
public final class ExitHook {

    private final ShutdownHooks hooks;
    private final Thread thread;
    private final StatusPort status;
    private boolean installed;

    /**
     * @param stop what the hook runs at exit; must be bounded in time and must not throw
     */
    public ExitHook(String appenderName, ShutdownHooks hooks, Runnable stop, StatusPort status) {
        this.hooks = hooks;
        this.status = status;
        this.thread = new Thread(stop, FeedbackGuard.THREAD_PREFIX + appenderName + "-exit");
        // Do not pin whatever class loader created the appender (a web application's) through
        // the thread's context class loader; the stop needs none.
        this.thread.setContextClassLoader(null);
    }

    /** Registers the hook; reports through the status port if the JVM refuses it. Idempotent. */
    public void install() {
        if (installed) {
            return;
        }
        try {
            hooks.add(thread);
            installed = true;
        } catch (IllegalStateException | SecurityException e) {
            status.warn("cannot register a JVM shutdown hook, events buffered at exit may be lost: " + e, null);
        }
    }

    /** Unregisters the hook unless it is running (the JVM is exiting). Idempotent. */
    public void uninstall() {
        if (!installed || Thread.currentThread() == thread) {
            return;
        }
        installed = false;
        try {
            hooks.remove(thread);
        } catch (IllegalStateException | SecurityException ignored) {
            // The JVM is already shutting down: the hook runs (or ran) and finds the pipeline stopped.
        }
    }
}
