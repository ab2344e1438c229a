package io.github.sqsappender.core.jvm;

import io.github.sqsappender.core.testing.RecordingStatus;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class MBeanRegistrationTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    void aReconfigurationHandsTheNameOverAndTheLastStopRemovesTheMBean() throws Exception {
        ObjectName name = MBeanRegistration.objectName("handover");
        MetricsRecorder old = new MetricsRecorder();
        old.appended();
        MetricsRecorder replacement = new MetricsRecorder();
        RecordingStatus status = new RecordingStatus();

        MBeanRegistration first = MBeanRegistration.register("handover", old, status);
        assertThat(server.getAttribute(name, "EventsAppended")).isEqualTo(1L);
        MBeanRegistration second = MBeanRegistration.register("handover", replacement, status); // new config starts
        assertThat(server.getAttribute(name, "EventsAppended")).as("the newest is shown").isEqualTo(0L);
        first.close(); // old config stops
        assertThat(server.isRegistered(name)).isTrue();
        assertThat(server.getAttribute(name, "EventsAppended")).isEqualTo(0L);
        second.close();
        assertThat(server.isRegistered(name)).isFalse();
        assertThat(status.warnings).isEmpty();
    }

    @Test
    void closingTheNewestFirstShowsTheOlderAgain() throws Exception {
        ObjectName name = MBeanRegistration.objectName("stack");
        MetricsRecorder a = new MetricsRecorder();
        a.appended();
        MBeanRegistration first = MBeanRegistration.register("stack", a, new RecordingStatus());
        MBeanRegistration second = MBeanRegistration.register("stack", new MetricsRecorder(), new RecordingStatus());
        second.close();
        assertThat(server.getAttribute(name, "EventsAppended")).isEqualTo(1L);
        second.close(); // idempotent
        first.close();
        assertThat(server.isRegistered(name)).isFalse();
    }
}
