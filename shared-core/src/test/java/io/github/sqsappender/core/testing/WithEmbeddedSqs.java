package io.github.sqsappender.core.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test methods (and {@code @BeforeAll} methods) an {@link EmbeddedSqs} parameter: one server
 * for the whole test run of a module, started on first use and closed when the run ends — each
 * test class names its own queues. The one way the integration tests start ElasticMQ:
 * {@code @ExtendWith(WithEmbeddedSqs.class)}. A test that stops or restarts a server as part of
 * its scenario starts its own.
 */
public final class WithEmbeddedSqs implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WithEmbeddedSqs.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedSqs.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Server.class, key -> new Server(EmbeddedSqs.start()), Server.class).sqs();
    }

    /** Closed by JUnit with the root store, when the run ends. */
    private record Server(EmbeddedSqs sqs) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            sqs.close();
        }
    }
}
