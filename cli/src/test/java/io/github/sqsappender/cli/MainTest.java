package io.github.sqsappender.cli;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** What the command sets up before it runs anything. */
class MainTest {

    @Test
    void nettysJavaUtilLoggingIsOffSoItsStackTracesNeverReachTheCommandsStderr() {
        assertThat(Main.NETTY_LOGS.getName()).isEqualTo("io.netty");
        assertThat(Logger.getLogger("io.netty.util.concurrent.DefaultPromise").isLoggable(Level.SEVERE))
                .as("the logger that prints 'Failed to submit a listener notification task'").isFalse();
    }
}
