package io.github.sqsappender.core.jvm;

import java.util.List;

/**
 * The shutdown hooks of the application's frameworks that stop the logging framework — and so this
 * appender — when the JVM exits, found by their threads while the JVM runs its hooks. The
 * appender's own exit hook waits for them (see {@code ExitDrain}): what they log while closing is
 * delivered, and their stop of the appender is the one that delivers. Found by name only, so no
 * framework is needed on the class path. Any thread.
 */
public final class FrameworkExitThreads {

    /** Spring Boot's hook (2.5 on): it closes the application contexts, then stops the logging system. */
    static final String SPRING_BOOT_HOOK = "SpringApplicationShutdownHook";

    private FrameworkExitThreads() {
    }

    /** Spring Boot's shutdown hook thread while it runs, or an empty list. */
    public static List<Thread> springBoot() {
        return LiveThreads.named(SPRING_BOOT_HOOK);
    }
}
