package io.github.sqsappender.core.jvm;

import java.util.ArrayList;
import java.util.List;

/** The JVM's live threads by name, for the frameworks' threads the appender must wait for. Any thread. */
public final class LiveThreads {

    private LiveThreads() {
    }

    /** The started, not yet ended threads named {@code name}. */
    public static List<Thread> named(String name) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        List<Thread> found = new ArrayList<>(1);
        for (int i = 0; i < count; i++) {
            if (name.equals(threads[i].getName()) && threads[i].isAlive()) {
                found.add(threads[i]);
            }
        }
        return found;
    }
}
