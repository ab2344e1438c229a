package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.streams.AppenderCapture;
import io.github.sqsappender.core.streams.LineSink;
import io.github.sqsappender.core.streams.StandardStream;
import io.github.sqsappender.core.streams.StreamSwapHook;
import org.apache.logging.log4j.status.StatusLogger;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Log4j2's status listener closes the stream it holds when it is given another, unless that stream
 * is the current {@code System.out} / {@code System.err} at that moment — so a reconfiguration with
 * {@code dest="err"} while a capture replaced {@code System.err} would close the JVM's own stream.
 * Before a capture installs, the listener is therefore moved onto the capture's pass-through stream
 * (which writes to the replaced stream uncaptured, and whose {@code close()} only flushes), and back
 * before the capture is removed. Lifecycle thread.
 */
final class ConsoleCapture {

    private ConsoleCapture() {
    }

    /** @param scope the appender's {@code LoggerContext} (see {@code CaptureOwner}), or null */
    static AppenderCapture create(String appenderName, Object scope, Set<StandardStream> streams, LineSink sink,
                                  LongConsumer lost) {
        return new AppenderCapture(appenderName, scope, streams, sink, new StatusListenerGuard(), lost);
    }

    /** Keeps Log4j2's fallback status listener off the stream a capture replaces (see the class comment). */
    private static final class StatusListenerGuard implements StreamSwapHook {

        @Override
        public void installing(PrintStream replaced, PrintStream passThrough) {
            swap(replaced, passThrough);
        }

        @Override
        public void restoring(PrintStream passThrough, PrintStream replaced) {
            swap(passThrough, replaced);
        }

        /** If the listener writes to {@code from}, makes it write to {@code to}; while {@code from} is still current, nothing is closed. */
        private static void swap(PrintStream from, PrintStream to) {
            try {
                Method fallback = StatusLogger.class.getMethod("getFallbackListener"); // Log4j 2.23+
                Object listener = fallback.invoke(StatusLogger.getLogger());
                Field field = listener.getClass().getDeclaredField("stream");
                field.setAccessible(true);
                if (field.get(listener) == from) {
                    listener.getClass().getMethod("setStream", PrintStream.class).invoke(listener, to);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // Older Log4j2 (its listeners are not closed on reconfiguration) or a changed field: nothing to guard.
            }
        }
    }
}
