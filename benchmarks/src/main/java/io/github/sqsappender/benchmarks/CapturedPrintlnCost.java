package io.github.sqsappender.benchmarks;

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

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The cost of {@code System.out.println(line)} to a null stream, captured by an {@code <Sqs>}
 * appender ({@code captureStreams=stdout}, the layout of the call-cost benchmarks, a client that
 * acknowledges at once) against the same println not captured. The difference is what a program's
 * print pays for being shipped: one append (the layout included) plus the capture's own work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CapturedPrintlnCost {

    @Param({"captured", "not-captured"})
    public String target;

    private PrintStream original;
    private LoggerContext context;

    @Setup
    public void setUp() throws Exception {
        original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        if (target.equals("captured")) {
            context = Configurator.initialize("jmh-capture", CapturedPrintlnCost.class.getClassLoader(),
                    CapturedPrintlnCost.class.getResource("/jmh-log4j2-capture.xml").toURI());
        }
    }

    @Benchmark
    public void println() {
        System.out.println("order 42 placed by alice for 99.5 EUR");
    }

    @TearDown
    public void tearDown() {
        if (context != null) {
            io.github.sqsappender.log4j2.SqsAppender sqs = context.getConfiguration().getAppender("SQS");
            String counts = String.format("%n[sqs appender] appended %,d, sent %,d, dropped %,d%n",
                    sqs.getMetrics().getEventsAppended(), sqs.getMetrics().getEventsSent(), sqs.getMetrics().getEventsDropped());
            Configurator.shutdown(context);
            original.print(counts);
        }
        System.setOut(original);
    }
}
