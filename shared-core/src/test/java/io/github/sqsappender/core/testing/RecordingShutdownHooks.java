package io.github.sqsappender.core.testing;

import io.github.sqsappender.core.ShutdownHooks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ShutdownHooks} registry that never touches the JVM: it records what was added and
 * removed, and lets a test "exit" by running the live hooks on their own threads.
 */
public final class RecordingShutdownHooks implements ShutdownHooks {

    private final Map<Thread, Boolean> live = Collections.synchronizedMap(new IdentityHashMap<>());
    private int added;
    private int removed;

    @Override
    public synchronized void add(Thread hook) {
        if (live.put(hook, Boolean.TRUE) != null) {
            throw new IllegalArgumentException("Hook previously registered: " + hook.getName());
        }
        added++;
    }

    @Override
    public synchronized void remove(Thread hook) {
        if (live.remove(hook) != null) {
            removed++;
        }
    }

    /** Hooks registered and not removed. */
    public synchronized List<Thread> live() {
        return new ArrayList<>(live.keySet());
    }

    public synchronized int added() {
        return added;
    }

    public synchronized int removed() {
        return removed;
    }

    /** Starts every live hook, as the JVM does at exit, and waits for all of them to end. */
    public void runAll() throws InterruptedException {
        List<Thread> hooks = live();
        for (Thread hook : hooks) {
            hook.start();
        }
        for (Thread hook : hooks) {
            hook.join();
        }
    }
}
