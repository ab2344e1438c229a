package io.github.sqsappender.core.testing;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Counts the JVM's registered shutdown hooks by thread name, reading
 * {@code java.lang.ApplicationShutdownHooks} directly. Needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}.
 */
public final class JvmShutdownHookProbe {

    private JvmShutdownHookProbe() {
    }

    /** The number of registered hooks whose thread name starts with {@code prefix}. */
    public static int count(String prefix) {
        try {
            Class<?> hooksClass = Class.forName("java.lang.ApplicationShutdownHooks");
            Field field = hooksClass.getDeclaredField("hooks");
            field.setAccessible(true);
            synchronized (hooksClass) {
                Map<?, ?> hooks = (Map<?, ?>) field.get(null);
                if (hooks == null) {
                    return 0; // the JVM is shutting down
                }
                return (int) hooks.keySet().stream()
                        .filter(t -> ((Thread) t).getName().startsWith(prefix)).count();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the JVM's shutdown hooks (needs "
                    + "--add-opens java.base/java.lang=ALL-UNNAMED)", e);
        }
    }
}
