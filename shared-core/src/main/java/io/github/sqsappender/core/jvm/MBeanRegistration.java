package io.github.sqsappender.core.jvm;

import io.github.sqsappender.core.SqsAppenderMetrics;
import io.github.sqsappender.core.StatusPort;

import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Exports one appender's metrics as the MBean {@code io.github.sqsappender:type=SqsAppender,name=NAME}.
 * A reconfiguration starts the new appender before it stops the old one, both with the same name;
 * so one MBean per name is registered, it shows the most recently started live appender of that
 * name, and it is unregistered when the last of them stops. Thread-safe.
 */
public final class MBeanRegistration implements AutoCloseable {

    /** The appenders alive under one MBean name; the newest is the one shown. */
    private static final class Slot {
        final Deque<SqsAppenderMetrics> live = new ArrayDeque<>();
        volatile SqsAppenderMetrics shown;
    }

    private static final Map<ObjectName, Slot> SLOTS = new HashMap<>(); // guarded by itself

    private final ObjectName objectName;
    private final SqsAppenderMetrics metrics;

    private MBeanRegistration(ObjectName objectName, SqsAppenderMetrics metrics) {
        this.objectName = objectName;
        this.metrics = metrics;
    }

    /** The MBean name for an appender, {@code io.github.sqsappender:type=SqsAppender,name=NAME}, as the README documents it. */
    public static ObjectName objectName(String appenderName) throws javax.management.MalformedObjectNameException {
        // Plain names stay as written (name=SQS); only names with ObjectName syntax characters are quoted.
        String value = appenderName.matches("[A-Za-z0-9._@#/+-]+") ? appenderName : ObjectName.quote(appenderName);
        return new ObjectName("io.github.sqsappender:type=SqsAppender,name=" + value);
    }

    /**
     * Shows {@code metrics} under the appender's name. On any JMX problem (or a name taken by
     * another copy of this library) it reports a warning and returns a registration that does
     * nothing — JMX must never stop the appender from working.
     */
    public static MBeanRegistration register(String appenderName, SqsAppenderMetrics metrics, StatusPort status) {
        ObjectName name;
        try {
            name = objectName(appenderName);
        } catch (Exception e) {
            status.warn("sqs-appender '" + appenderName + "': could not register the metrics MBean", e);
            return new MBeanRegistration(null, metrics);
        }
        synchronized (SLOTS) {
            Slot slot = SLOTS.get(name);
            if (slot == null) {
                slot = new Slot();
                try {
                    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                    server.registerMBean(new StandardMBean(showing(slot), SqsAppenderMetrics.class, true), name);
                } catch (InstanceAlreadyExistsException e) {
                    status.warn("sqs-appender '" + appenderName + "': an MBean with this name is already registered "
                            + "by another copy of sqs-appender; metrics of this one are not exported to JMX", null);
                    return new MBeanRegistration(null, metrics);
                } catch (Exception | LinkageError e) {
                    status.warn("sqs-appender '" + appenderName + "': could not register the metrics MBean", e);
                    return new MBeanRegistration(null, metrics);
                }
                SLOTS.put(name, slot);
            }
            slot.live.addLast(metrics);
            slot.shown = metrics;
        }
        return new MBeanRegistration(name, metrics);
    }

    /** An MXBean view that reads whichever metrics the slot shows at the moment. */
    private static SqsAppenderMetrics showing(Slot slot) {
        return (SqsAppenderMetrics) Proxy.newProxyInstance(SqsAppenderMetrics.class.getClassLoader(),
                new Class<?>[] {SqsAppenderMetrics.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(slot.shown, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Stops showing this appender's metrics; the MBean goes when the last appender of its name stops. */
    @Override
    public void close() {
        if (objectName == null) {
            return;
        }
        synchronized (SLOTS) {
            Slot slot = SLOTS.get(objectName);
            if (slot == null || !slot.live.remove(metrics)) {
                return;
            }
            if (!slot.live.isEmpty()) {
                slot.shown = slot.live.peekLast();
                return;
            }
            SLOTS.remove(objectName);
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
            } catch (Exception ignored) {
                // already gone
            }
        }
    }
}
