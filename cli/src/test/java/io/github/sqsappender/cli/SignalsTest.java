package io.github.sqsappender.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether Ctrl-C already reached the command: read from {@code /proc/PID/stat} lines. */
class SignalsTest {

    @Test
    void inTheForegroundOfItsTerminalTheProcessGroupIsTheTerminals() {
        assertThat(Signals.isForeground("4242 (java) S 4200 4242 4200 34816 4242 4194304 100 0 0 0")).isTrue();
    }

    @Test
    void inTheBackgroundOrWithoutATerminalItIsNot() {
        assertThat(Signals.isForeground("4242 (java) S 4200 4242 4200 34816 4300 4194304 100 0 0 0"))
                .as("another group is in the foreground (started with &)").isFalse();
        assertThat(Signals.isForeground("4242 (java) S 1 4242 4242 0 -1 4194304 100 0 0 0"))
                .as("no controlling terminal (a service, a container)").isFalse();
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        assertThat(Signals.isForeground("4242 (my (odd) name) S 4200 4242 4200 34816 4242 0 0")).isTrue();
        assertThat(Signals.isForeground("4242 (my (odd) name) S 4200 4242 4200 34816 99 0 0")).isFalse();
    }

    @Test
    void terminalsAreToldFromPipesAndFiles() {
        assertThat(Signals.isTerminal("/dev/pts/3")).isTrue();
        assertThat(Signals.isTerminal("/dev/tty1")).isTrue();
        assertThat(Signals.isTerminal("pipe:[123456]")).isFalse();
        assertThat(Signals.isTerminal("/dev/null")).isFalse();
        assertThat(Signals.isTerminal("/home/me/job.log")).isFalse();
    }

    @Test
    void onlyTheSignalsATerminalSendsToItsGroupCanHaveComeFromIt() {
        assertThat(Signals.Kind.INT.terminalSendsItToTheGroup()).isTrue();
        assertThat(Signals.Kind.HUP.terminalSendsItToTheGroup()).isTrue();
        assertThat(Signals.Kind.TERM.terminalSendsItToTheGroup()).isFalse();
        assertThat(Signals.cameFromTheTerminal(Signals.Kind.TERM, ProcessHandle.current().pid()))
                .as("SIGTERM is always passed on").isFalse();
        assertThat(Signals.Kind.HUP.exitStatus()).isEqualTo(129);
    }

    @Test
    void aHangUpIsTheTerminalsWhenTheTerminalWentAwayAndTheToolDoesNotLeadTheSession() {
        String detached = "4242 (java) S 4200 4242 4200 0 -1 4194304 100 0 0 0"; // tty_nr 0, session 4200
        assertThat(Signals.hasNoTerminal(detached)).isTrue();
        assertThat(Signals.hungUp(true, detached, 4242)).as("hung up: the command got it too").isTrue();
        assertThat(Signals.hungUp(false, detached, 4242)).as("never had a terminal: kill -HUP to the tool alone").isFalse();
        assertThat(Signals.hungUp(true, "4242 (java) S 4200 4242 4242 0 -1 4194304 100 0 0 0", 4242))
                .as("the tool leads the session: the kernel sent the hang-up to it alone").isFalse();
        assertThat(Signals.hungUp(true, "4242 (java) S 4200 4242 4200 34816 4242 4194304 100 0 0 0", 4242))
                .as("still attached: a SIGHUP now was sent to the tool alone").isFalse();
    }

    @Test
    void theTerminalsSignalReachedTheCommandOnlyIfTheCommandIsInTheToolsGroup() {
        String tool = "4242 (java) S 4200 4242 4200 34816 4242 4194304 100 0 0 0"; // pgrp 4242
        String sameGroup = "4300 (python3) S 4242 4242 4200 34816 4242 4194304 100 0 0 0";
        String ownGroup = "4300 (timeout) S 4242 4300 4200 34816 4242 4194304 100 0 0 0"; // setpgid(0, 0)
        assertThat(Signals.sameGroup(tool, java.util.Optional.of(sameGroup))).isTrue();
        assertThat(Signals.sameGroup(tool, java.util.Optional.of(ownGroup))).as("GNU timeout: a group of its own").isFalse();
        assertThat(Signals.sameGroup(tool, java.util.Optional.empty())).as("an ended command: as before").isTrue();
        assertThat(Signals.sameGroup(tool, java.util.Optional.of("4300 (a (b) c) S 4242 4242 4200 34816 4242 0")))
                .as("a name with spaces and parentheses").isTrue();
    }
}
