package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsPipeline;
import org.apache.logging.log4j.core.appender.AbstractManager;
import org.apache.logging.log4j.core.appender.ManagerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Owns one {@link SqsPipeline} (dispatcher thread, SDK client, MBean), shared by reference count.
 * During a reconfiguration the new appender acquires the manager before the old one releases it,
 * so an unchanged configuration keeps its dispatcher and buffered events; a changed one gets a
 * new manager and the old one is stopped, delivering what it holds.
 */
final class SqsManager extends AbstractManager {

    private final SqsPipeline pipeline;

    private SqsManager(String key, SqsPipeline pipeline) {
        super(null, key);
        this.pipeline = pipeline;
    }

    /**
     * Returns the running manager for {@code key}, creating and starting one if needed.
     *
     * @throws IllegalStateException naming the attribute when the pipeline cannot be created
     */
    static SqsManager getManager(String key, SqsAppenderConfig config, boolean stopAtJvmExit) {
        SqsManager manager = getManager(key, FACTORY, new FactoryData(config, stopAtJvmExit));
        if (manager == null) {
            throw new IllegalStateException("could not create the SQS pipeline");
        }
        return manager;
    }

    /** Keys the digest in manager names; random per JVM, so a printed name reveals nothing. */
    private static final byte[] NAME_KEY = randomKey();

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * The manager name for an appender: its name and a keyed digest (HMAC-SHA256 under a random
     * per-JVM key) of its attributes. An unchanged configuration finds its running manager again,
     * while no attribute value ever appears in Log4j2's status output, which prints manager names:
     * not in clear, and not as a plain hash that a short {@code externalId} could be guessed from.
     */
    static String key(String appenderName, java.util.Map<String, String> attributes) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(NAME_KEY, "HmacSHA256"));
            byte[] digest = mac.doFinal(attributes.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "Sqs:" + appenderName + ":" + java.util.HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    SqsPipeline pipeline() {
        return pipeline;
    }

    /**
     * Stops the pipeline (which also removes its JVM exit hook), waiting up to {@code shutdownTimeoutMs} to deliver what it holds. The
     * framework's timeout is deliberately not used: {@code LogManager.shutdown()} passes 50 ms
     * ({@code ContextSelector.DEFAULT_STOP_TIMEOUT}) and {@code LoggerContext.stop()} passes 0,
     * neither of which says how long the user is willing to wait for log delivery.
     */
    @Override
    protected boolean releaseSub(long timeout, TimeUnit timeUnit) {
        return pipeline.stop(0);
    }

    /**
     * @param stopAtJvmExit true when Log4j2 will not stop the appender at exit, so the pipeline
     *                      installs its own JVM hook (removed when the manager is released)
     */
    private record FactoryData(SqsAppenderConfig config, boolean stopAtJvmExit) {
    }

    private static final Factory FACTORY = new Factory();

    private static final class Factory implements ManagerFactory<SqsManager, FactoryData> {

        @Override
        public SqsManager createManager(String key, FactoryData data) {
            SqsPipeline pipeline = SqsPipeline.create(data.config(), new StatusLoggerPort());
            pipeline.start();
            if (data.stopAtJvmExit()) {
                pipeline.stopAtJvmExit();
            }
            return new SqsManager(key, pipeline);
        }
    }
}
