package io.github.sqsappender.log4j2;

import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.NullConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether Log4j2 itself stops the appender at JVM exit, decided before the appender is built. */
class Log4jExitPolicyTest {

    @Test
    void aConfigurationWithoutAContextGetsTheAppendersOwnHook() {
        // Built programmatically without a context: nothing to ask whether the context has a hook.
        assertThat(new DefaultConfiguration().getLoggerContext()).isNull();
        assertThat(Log4jExitPolicy.log4jStopsAtExit(new DefaultConfiguration())).isFalse();
    }

    @Test
    void aRunningContextIsAskedWhetherItRegisteredAHook() {
        LoggerContext withHook = new LoggerContext("policy-with-hook");
        LoggerContext notStarted = new LoggerContext("policy-not-started");
        try {
            withHook.start(new DefaultConfiguration()); // the default configuration enables Log4j2's hook
            // In this test JVM the context factory may have hooks off (web-app mode): read what it did.
            boolean registered = !Log4jExitPolicy.startedWithoutAHook(withHook);
            assertThat(registered).isEqualTo(hooksEnabledHere());
            assertThat(Log4jExitPolicy.startedWithoutAHook(notStarted)).as("not running: decided by the configuration").isFalse();
            withHook.stop(); // cancels the hook and forgets it
            assertThat(Log4jExitPolicy.startedWithoutAHook(withHook)).as("stopped: not running").isFalse();
            LoggerContext noHook = new LoggerContext("policy-no-hook");
            try {
                NullConfiguration disabled = new NullConfiguration() {
                    @Override
                    public boolean isShutdownHookEnabled() {
                        return false;
                    }
                };
                noHook.start(disabled);
                assertThat(Log4jExitPolicy.startedWithoutAHook(noHook)).as("started with the hook disabled").isTrue();
            } finally {
                noHook.stop();
            }
        } finally {
            withHook.stop();
        }
    }

    private static boolean hooksEnabledHere() {
        return org.apache.logging.log4j.LogManager.getFactory() instanceof org.apache.logging.log4j.core.impl.Log4jContextFactory f
                && f.isShutdownHookEnabled();
    }
}
