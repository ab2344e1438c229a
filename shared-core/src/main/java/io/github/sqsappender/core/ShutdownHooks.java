package io.github.sqsappender.core;

/**
 * Where a pipeline registers the JVM shutdown hook that flushes it at exit. Production code uses
 * {@link #jvm()}; tests pass a recording registry to prove that every hook added is removed again
 * when the appender stops (a hook left behind would pin an undeployed web application's class
 * loader until the JVM exits).
 *
 * <p>Implementations must be thread-safe: hooks are added by the framework's configuration thread
 * and removed by whichever thread stops the appender.
 */
public interface ShutdownHooks {

    /**
     * Registers {@code hook} to be started when the JVM begins to shut down.
     *
     * @throws IllegalStateException if the JVM is already shutting down
     */
    void add(Thread hook);

    /**
     * Unregisters {@code hook}. Does nothing if it was never registered.
     *
     * @throws IllegalStateException if the JVM is already shutting down
     */
    void remove(Thread hook);

    /** The JVM's own registry ({@link Runtime#addShutdownHook}, {@link Runtime#removeShutdownHook}). */
    static ShutdownHooks jvm() {
        return JvmShutdownHooks.INSTANCE;
    }
}

/** {@link ShutdownHooks#jvm()}. */
enum JvmShutdownHooks implements ShutdownHooks {
    INSTANCE;

    @Override
    public void add(Thread hook) {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void remove(Thread hook) {
        Runtime.getRuntime().removeShutdownHook(hook);
    }
}
