package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsPipeline;
import org.apache.logging.log4j.core.appender.AbstractManager;
import org.apache.logging.log4j.core.appender.ManagerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

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
    static SqsManager getManager(String key, SqsAppenderConfig config,
                                 BiFunction<SqsAppenderConfig, io.github.sqsappender.core.StatusPort, SqsPipeline> pipelines) {
        SqsManager manager = getManager(key, new Factory(pipelines), config);
        if (manager == null) {
            throw new IllegalStateException("could not create the SQS pipeline");
        }
        return manager;
    }

    SqsPipeline pipeline() {
        return pipeline;
    }

    /**
     * Stops the pipeline, waiting up to {@code shutdownTimeoutMs} to deliver what it holds. The
     * framework's timeout is deliberately not used: {@code LogManager.shutdown()} passes 50 ms
     * ({@code ContextSelector.DEFAULT_STOP_TIMEOUT}) and {@code LoggerContext.stop()} passes 0,
     * neither of which says how long the user is willing to wait for log delivery.
     */
    @Override
    protected boolean releaseSub(long timeout, TimeUnit timeUnit) {
        return pipeline.stop(0);
    }

    private static final class Factory implements ManagerFactory<SqsManager, SqsAppenderConfig> {
        private final BiFunction<SqsAppenderConfig, io.github.sqsappender.core.StatusPort, SqsPipeline> pipelines;

        Factory(BiFunction<SqsAppenderConfig, io.github.sqsappender.core.StatusPort, SqsPipeline> pipelines) {
            this.pipelines = pipelines;
        }

        @Override
        public SqsManager createManager(String key, SqsAppenderConfig config) {
            SqsPipeline pipeline = pipelines.apply(config, new StatusLoggerPort());
            pipeline.start();
            return new SqsManager(key, pipeline);
        }
    }
}
