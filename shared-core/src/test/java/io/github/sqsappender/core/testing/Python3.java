package io.github.sqsappender.core.testing;

import java.io.IOException;

/** The {@code python3} the suites run as real child processes: there, or a clear failure (never a silent skip). */
public final class Python3 {

    private Python3() {
    }

    /**
     * Fails with a message naming {@code python3} and {@code why} unless {@code python3 --version}
     * runs and exits 0.
     */
    public static void requireOnPath(String why) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("python3 is needed by these tests (" + why + ") and is not on the PATH", e);
        }
        if (p.waitFor() != 0) {
            throw new AssertionError("python3 is needed by these tests (" + why + ") and `python3 --version` failed");
        }
    }
}
