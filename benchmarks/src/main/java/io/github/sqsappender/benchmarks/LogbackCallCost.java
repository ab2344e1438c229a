package io.github.sqsappender.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;

/**
 * The cost of {@code logger.info(...)} on the application thread with Logback: our appender (its
 * client acknowledges at once), Logback's {@code AsyncAppender} (neverBlock) in front of a no-op
 * appender, and the layout alone. Same layout and message everywhere.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LogbackCallCost {

    @Param({"sqs", "sqs-packed", "async-appender", "layout-only"})
    public String target;

    private LoggerContext context;
    private Logger logger;

    @Setup
    public void setUp() throws Exception {
        context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogbackCallCost.class.getResource("/jmh-logback-" + target + ".xml"));
        logger = context.getLogger("bench.CallCost");
    }

    @Benchmark
    public void info() {
        logger.info("order {} placed by {} for {} EUR", 42, "alice", 99.5);
    }

    @TearDown
    public void tearDown() {
        var appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("SQS");
        if (appender instanceof io.github.sqsappender.logback.SqsAppender sqs) {
            System.out.printf("%n[sqs appender] appended %,d, sent %,d, dropped %,d%n", sqs.getMetrics().getEventsAppended(),
                    sqs.getMetrics().getEventsSent(), sqs.getMetrics().getEventsDropped());
        }
        context.stop();
    }
}
