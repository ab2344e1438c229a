package io.github.sqsappender.core.jvm;

import java.util.ArrayList;
import java.util.List;

/** The JVM's live threads by name, for the frameworks' threads the appender must wait for. Any thread. */
public final class LiveThreads {

    private LiveThreads() {
    }

    /** The started, not yet ended threads named {@code name}. */
    public static List<Thread> named(String name) {
        List<Thread> found = named(name, "");
        found.removeIf(t -> !t.getName().equals(name));
        return found;
    }

    /**
     * True when {@code worker} has ended, or is parked in a {@code BlockingQueue.take} called by a
     * class whose name starts with {@code ownerClassPrefix} — an asynchronous appender's worker
     * waiting for its own queue. False while it runs, or waits anywhere else (inside an appender
     * behind it, waiting for room): then it may hold events its queue no longer shows. Any thread;
     * reads the worker's stack.
     */
    public static boolean waitsForItsQueue(Thread worker, String ownerClassPrefix) {
        Thread.State state = worker.getState();
        if (state == Thread.State.TERMINATED) {
            return true;
        }
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        StackTraceElement[] frames = worker.getStackTrace();
        for (int i = 0; i + 1 < frames.length; i++) {
            if (frames[i].getMethodName().equals("take") && frames[i].getClassName().endsWith("BlockingQueue")) {
                return frames[i + 1].getClassName().startsWith(ownerClassPrefix);
            }
        }
        return false;
    }

    /** The live threads whose names start with {@code prefix} and end with {@code suffix}. */
    public static List<Thread> named(String prefix, String suffix) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        List<Thread> found = new ArrayList<>(1);
        for (int i = 0; i < count; i++) {
            String name = threads[i].getName();
            if (name.startsWith(prefix) && name.endsWith(suffix) && name.length() >= prefix.length() + suffix.length()
                    && threads[i].isAlive()) {
                found.add(threads[i]);
            }
        }
        return found;
    }
}
