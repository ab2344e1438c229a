package io.github.sqsappender.benchmarks;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
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

import java.util.concurrent.TimeUnit;

/**
 * The cost of {@code logger.info(...)} on the application thread with Log4j2: our {@code <Sqs>}
 * appender (its client acknowledges at once), Log4j2's {@code AsyncAppender} with the JCTools queue
 * in front of a Null appender, and the layout alone (the floor: formatting must happen on the
 * caller's thread). Same layout and message everywhere. Run with {@code -t 1/2/4} and {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Log4j2CallCost {

    @Param({"sqs", "sqs-packed", "async-appender", "layout-only"})
    public String target;

    private LoggerContext context;
    private Logger logger;

    @Setup
    public void setUp() throws Exception {
        context = Configurator.initialize("jmh-" + target, Log4j2CallCost.class.getClassLoader(),
                Log4j2CallCost.class.getResource("/jmh-log4j2-" + target + ".xml").toURI());
        logger = context.getLogger("bench.CallCost");
    }

    @Benchmark
    public void info() {
        logger.info("order {} placed by {} for {} EUR", 42, "alice", 99.5);
    }

    @TearDown
    public void tearDown() {
        io.github.sqsappender.log4j2.SqsAppender sqs = context.getConfiguration().getAppender("SQS");
        if (sqs != null) {
            System.out.printf("%n[sqs appender] appended %,d, sent %,d, dropped %,d%n", sqs.getMetrics().getEventsAppended(),
                    sqs.getMetrics().getEventsSent(), sqs.getMetrics().getEventsDropped());
        }
        Configurator.shutdown(context);
    }
}
