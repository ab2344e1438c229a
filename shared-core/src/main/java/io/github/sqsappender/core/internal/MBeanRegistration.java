package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.StatusPort;

import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/** Registers one appender's metrics MBean and removes exactly that registration again. */
public final class MBeanRegistration implements AutoCloseable {

    private final ObjectName objectName;

    private MBeanRegistration(ObjectName objectName) {
        this.objectName = objectName;
    }

    /** The MBean name for an appender, {@code io.github.sqsappender:type=SqsAppender,name=NAME}, as the README documents it. */
    public static ObjectName objectName(String appenderName) throws javax.management.MalformedObjectNameException {
        // Plain names stay as written (name=SQS); only names with ObjectName syntax characters are quoted.
        String value = appenderName.matches("[A-Za-z0-9._@#/+-]+") ? appenderName : ObjectName.quote(appenderName);
        return new ObjectName("io.github.sqsappender:type=SqsAppender,name=" + value);
    }

    /**
     * Registers {@code metrics}; on a name clash or any JMX problem reports a warning and returns
     * a registration that does nothing — JMX must never stop the appender from working.
     */
    public static MBeanRegistration register(String appenderName, SqsAppenderMetrics metrics, StatusPort status) {
        try {
            ObjectName name = objectName(appenderName);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.registerMBean(metrics, name);
            return new MBeanRegistration(name);
        } catch (InstanceAlreadyExistsException e) {
            status.warn("sqs-appender '" + appenderName + "': an MBean with this name is already registered "
                    + "(two appenders with the same name?); metrics of this one are not exported to JMX", null);
        } catch (Exception | LinkageError e) {
            status.warn("sqs-appender '" + appenderName + "': could not register the metrics MBean", e);
        }
        return new MBeanRegistration(null);
    }

    @Override
    public void close() {
        if (objectName == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (Exception ignored) {
            // already gone
        }
    }
}
