package io.github.sqsappender.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot service as users write them: it starts, logs through SLF4J (whatever logging
 * system Boot set up from {@code logback-spring.xml} or {@code log4j2-spring.xml}), and exits when
 * {@code main} returns. Nothing here flushes or stops logging: Boot's logging shutdown hook and
 * the appender's own exit flush must deliver what is buffered.
 *
 * <p>{@code checkout.orders} (default 1,000) is the number of lines to log. With
 * {@code checkout.close-millis} set, closing the service takes that long (a request finishing
 * during a graceful shutdown), then logs one more line. With {@code checkout.exit=jvm} it ends with
 * {@code System.exit} while the context is still open, as a service stopped by a signal: Boot's
 * shutdown hook then closes the context while the JVM exits.
 */
@SpringBootApplication
public class CheckoutService {

    private static final Logger LOG = LoggerFactory.getLogger(CheckoutService.class);

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(CheckoutService.class, args);
        int orders = context.getEnvironment().getProperty("checkout.orders", Integer.class, 1_000);
        for (int i = 0; i < orders; i++) {
            LOG.info("order {} accepted", i);
        }
        System.out.println("logging-system=" + LoggingSystem.get(CheckoutService.class.getClassLoader()).getClass().getSimpleName());
        System.out.println("netty=" + nettyVersion());
        System.out.println("framework=" + LoggerFactory.getILoggerFactory().getClass().getPackage().getImplementationVersion());
        System.out.println("started=true");
        if ("jvm".equals(context.getEnvironment().getProperty("checkout.exit"))) {
            System.exit(0);
        }
        SpringApplication.exit(context);
    }

    /** Closing takes {@code checkout.close-millis} (0: nothing to wait for), then says so. */
    @Bean
    DisposableBean slowClose(Environment environment) {
        long millis = environment.getProperty("checkout.close-millis", Long.class, 0L);
        return () -> {
            if (millis > 0) {
                Thread.sleep(millis);
                LOG.info("closed after {} ms", millis);
            }
        };
    }

    private static String nettyVersion() {
        try {
            Class<?> version = Class.forName("io.netty.util.Version");
            Object all = version.getMethod("identify").invoke(null);
            Object common = ((java.util.Map<?, ?>) all).get("netty-common");
            return common == null ? "unknown" : String.valueOf(version.getMethod("artifactVersion").invoke(common));
        } catch (ReflectiveOperationException e) {
            return "absent";
        }
    }
}
