package io.github.sqsappender.core.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test methods an {@link EmbeddedSqs} parameter: one server per test class, started on first
 * use and closed after the class's last test. {@code @ExtendWith(WithEmbeddedSqs.class)}.
 */
public final class WithEmbeddedSqs implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WithEmbeddedSqs.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedSqs.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return classContext(context).getStore(NAMESPACE)
                .getOrComputeIfAbsent(Server.class, key -> new Server(EmbeddedSqs.start()), Server.class).sqs();
    }

    /** The test class's context, so the server outlives each method (and each parameterized invocation). */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    /** Closed by JUnit with the class's store. */
    private record Server(EmbeddedSqs sqs) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            sqs.close();
        }
    }
}
