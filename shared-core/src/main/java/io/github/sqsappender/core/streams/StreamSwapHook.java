package io.github.sqsappender.core.streams;

import java.io.PrintStream;

/**
 * Lets an adapter move its framework's own holders of a standard stream along with a capture's
 * swap (Log4j2's status listener) onto a stream for the framework's own output: it writes to the
 * replaced stream uncaptured, and its {@code close()} only flushes. Called on the lifecycle thread.
 */
public interface StreamSwapHook {

    /** Just before the capture replaces {@code replaced}: {@code passThrough} writes to it uncaptured. */
    void installing(PrintStream replaced, PrintStream passThrough);

    /** Just before the capture puts {@code replaced} back, while {@code passThrough}'s capture is still current. */
    void restoring(PrintStream passThrough, PrintStream replaced);
}
